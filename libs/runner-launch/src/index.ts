// The agent-runner seen from the host, and what the runner and its launcher share: where the
// runner's files appear inside a sandbox, the bundle, launching it, the empty report, the event log.
export { launchAgentRun, type LaunchAgentRunOptions } from './launcher';
export { prepareRunnerRuntime, bundleRunner, type RunnerRuntime, type RunnerRuntimeOptions } from './runtime';
export { runnerInside, sandboxPath } from './layout';
export { emptyReport } from './report';
export { EventLog } from './event-log';
export { RunClock, type RunDeadlineSource } from './run-clock';
export { resolveOpenCodeBinary } from './opencode-binary';
export { resolveClaudeBinary } from './claude-binary';
export { resolveCodexBinary } from './codex-binary';
