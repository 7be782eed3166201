// The harness, for tests that drive OpenCode directly. Launching the runner from the host
// (launchAgentRun, prepareRunnerRuntime) lives in @horizon/runner-launch.
export * from './harness';
