import { join } from 'node:path';

/**
 * What Claude Code is given in place of a key when the run holds none: in a sandbox the egress
 * proxy's model route puts the provider key on every request, and Claude Code will not start a
 * turn without some key ("Not logged in"). It is not a secret.
 */
export const PROXY_KEY_PLACEHOLDER = 'horizon-egress-proxy-adds-the-key';

/** Where a run's folders go, all under its state folder. */
export function claudeDirs(stateDir: string) {
  return {
    /** HOME: Claude Code keeps the sessions a later turn resumes under `~/.claude`. */
    home: join(stateDir, 'home'),
    tmp: join(stateDir, 'tmp'),
    /** The key file, the settings that name it and the MCP configuration: 0600, outside the workspace. */
    secrets: join(stateDir, 'secrets'),
  };
}

/**
 * `--settings`: Claude Code gets the key by running `cat` on the 0600 key file
 * (`apiKeyHelper`), so neither the environment (which the agent's commands inherit), the argv
 * nor this file holds it.
 */
export function claudeSettings(keyFile: string): string {
  return JSON.stringify({ apiKeyHelper: `cat ${keyFile}` });
}

/** `--mcp-config`: mcp-context over streamable HTTP with the run's token and id. */
export function claudeMcpConfig(mcp: { url: string; token: string; runId: string }): string {
  return JSON.stringify({
    mcpServers: {
      horizon: {
        type: 'http',
        url: mcp.url,
        // mcp-context refuses a token sent for another run than the one it was minted for.
        headers: { Authorization: `Bearer ${mcp.token}`, 'X-Horizon-Run': mcp.runId },
      },
    },
  });
}

/** The provider's API base as Claude Code wants it: without the `/v1` the run's URL ends in. */
export function anthropicBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/v1\/?$/, '');
}

/**
 * The complete environment of the Claude Code process. Only PATH, LANG and the task's own
 * variables come from outside; HOME and TMPDIR point into the run's state folder; telemetry,
 * error reports, update checks and every other call home are off (a run reaches nothing but
 * its model and mcp-context), and a failing model request is tried 3 times. `IS_SANDBOX` lets it skip permission prompts as the sandbox's
 * root: our bwrap sandbox is the boundary, and nobody is there to answer a prompt.
 */
export function claudeEnv(options: {
  stateDir: string;
  path: string;
  baseUrl: string;
  taskEnv: Record<string, string> | undefined;
}): Record<string, string> {
  const dirs = claudeDirs(options.stateDir);
  return {
    PATH: options.path,
    LANG: 'C.UTF-8',
    ...options.taskEnv,
    HOME: dirs.home,
    TMPDIR: dirs.tmp,
    ANTHROPIC_BASE_URL: anthropicBaseUrl(options.baseUrl),
    IS_SANDBOX: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    // Its default is 10 retries over minutes: a model that keeps failing should end the run
    // with the provider's error, not at its deadline (a few tries still ride out a blip).
    CLAUDE_CODE_MAX_RETRIES: '3',
  };
}

/**
 * Arguments of one turn: print mode with the prompt on stdin, stream-json out, `--bare` (no
 * hooks, plugins, keychain or CLAUDE.md discovery: the runner gives the context), permissions
 * skipped, only the MCP servers given, and a later turn resuming the session.
 */
export function claudeArgs(options: {
  model: string;
  settingsFile: string;
  mcpFile?: string;
  session?: string;
}): string[] {
  return [
    '-p',
    '--output-format',
    'stream-json',
    '--verbose',
    '--bare',
    '--dangerously-skip-permissions',
    '--model',
    options.model,
    '--settings',
    options.settingsFile,
    ...(options.mcpFile ? ['--mcp-config', options.mcpFile, '--strict-mcp-config'] : []),
    ...(options.session ? ['--resume', options.session] : []),
  ];
}
