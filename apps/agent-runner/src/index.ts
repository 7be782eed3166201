export * from './harness';
export { launchAgentRun, type LaunchAgentRunOptions } from './launcher';
export { prepareRunnerRuntime, bundleRunner, type RunnerRuntime, type RunnerRuntimeOptions } from './runtime';
export { runnerInside } from './layout';
export { EventLog } from './harness/event-log';
