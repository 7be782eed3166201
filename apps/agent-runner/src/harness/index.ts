export type {
  Harness,
  HarnessContext,
  HarnessEvent,
  HarnessExit,
  HarnessMcpServer,
  HarnessModelConfig,
  HarnessResult,
  HarnessRun,
  HarnessTask,
  HarnessTokens,
  HarnessUsage,
} from './harness';
export { OpenCodeHarness, type OpenCodeHarnessOptions } from './opencode-harness';
export { SessionEvents, usageOf } from './opencode-events';
