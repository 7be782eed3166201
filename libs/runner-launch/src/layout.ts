/**
 * Where the agent-runner's files appear inside a sandbox: bound read-only by the driver (see
 * `prepareRunnerRuntime`), so nothing of the host but these files is visible.
 */
export const runnerInside = {
  dir: '/opt/horizon/runner',
  node: '/opt/horizon/runner/node',
  bundle: '/opt/horizon/runner/agent-runner.js',
  opencode: '/opt/horizon/runner/opencode',
  codex: '/opt/horizon/runner/codex',
  claude: '/opt/horizon/runner/claude',
} as const;

/** PATH of the agent's commands inside: the sandbox's /usr (with Debian's `rg`) and nothing else. */
export const sandboxPath = '/usr/local/bin:/usr/bin:/bin';
