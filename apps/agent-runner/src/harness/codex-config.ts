import { join } from 'node:path';
import type { HarnessModelConfig } from './harness';

// smol-toml is an ES module whose types only `import` resolves; its CommonJS build is what runs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { stringify } = require('smol-toml') as typeof import('smol-toml', {
  with: { 'resolution-mode': 'import' },
});

/** Provider id inside the generated configuration. */
export const CODEX_PROVIDER_ID = 'horizon';

/** Where a run's folders go, all under its state folder. */
export function codexDirs(stateDir: string) {
  return {
    /** `CODEX_HOME`: config.toml, the threads a later turn resumes, Codex's own state. */
    codexHome: join(stateDir, 'codex-home'),
    home: join(stateDir, 'home'),
    /**
     * `TMPDIR` of Codex and its commands. Codex will not create its PATH aliases (an
     * `apply_patch` executable for scripts) in a `CODEX_HOME` under the temporary folder, and
     * the state folder itself usually lies in /tmp.
     */
    tmp: join(stateDir, 'tmp'),
    /** Holds the provider key file, outside the agent's working directory. */
    secrets: join(stateDir, 'secrets'),
  };
}

/**
 * The `config.toml` of a run (written 0600 into its `CODEX_HOME`). The model provider speaks
 * the Responses API at the run's base URL; Codex gets the key by running `cat` on the 0600
 * key file (`auth.command`), so neither the environment (which the agent's commands inherit),
 * the argv nor this file holds it. Without a key no Authorization is sent: in a sandbox the
 * egress proxy adds it. mcp-context is a streamable-HTTP MCP server whose run-scoped token
 * sits in this file's headers. Update checks, analytics, feedback and the hosted web search
 * are off: a run reaches nothing but its model and mcp-context.
 */
export function codexConfig(
  model: HarnessModelConfig,
  apiKeyFile: string | undefined,
  mcp?: { url: string; token: string; runId: string },
): string {
  return stringify({
    model: model.model,
    model_provider: CODEX_PROVIDER_ID,
    // Our bwrap sandbox is the boundary; nobody is there to approve anything.
    sandbox_mode: 'danger-full-access',
    approval_policy: 'never',
    check_for_update_on_startup: false,
    web_search: 'disabled',
    analytics: { enabled: false },
    feedback: { enabled: false },
    history: { persistence: 'none' },
    model_providers: {
      [CODEX_PROVIDER_ID]: {
        name: 'Horizon model provider',
        base_url: model.baseUrl,
        wire_api: 'responses',
        ...(apiKeyFile ? { auth: { command: 'cat', args: [apiKeyFile] } } : {}),
      },
    },
    ...(mcp
      ? {
          mcp_servers: {
            horizon: {
              url: mcp.url,
              // mcp-context refuses a token sent for another run than the one it was minted for.
              http_headers: { Authorization: `Bearer ${mcp.token}`, 'X-Horizon-Run': mcp.runId },
            },
          },
        }
      : {}),
  });
}

/**
 * The complete environment of the Codex process: HOME, CODEX_HOME and TMPDIR point into the
 * run's state folder, and only PATH, LANG and the task's own variables come from outside.
 */
export function codexEnv(options: {
  stateDir: string;
  path: string;
  taskEnv: Record<string, string> | undefined;
}): Record<string, string> {
  const dirs = codexDirs(options.stateDir);
  return {
    PATH: options.path,
    LANG: 'C.UTF-8',
    ...options.taskEnv,
    HOME: dirs.home,
    CODEX_HOME: dirs.codexHome,
    TMPDIR: dirs.tmp,
  };
}

/**
 * `codex exec` arguments for a turn: JSON lines out, the prompt read from stdin, a later turn
 * resuming the thread (which runs in the process's working directory). `--strict-config`
 * makes a key this version no longer knows an error rather than a switch silently ignored.
 */
export function codexArgs(options: { model: string; workdir: string; session?: string }): string[] {
  const common = ['--json', '--skip-git-repo-check', '--strict-config', '-m', options.model];
  return options.session
    ? ['exec', 'resume', ...common, options.session, '-']
    : ['exec', ...common, '-C', options.workdir, '-'];
}
