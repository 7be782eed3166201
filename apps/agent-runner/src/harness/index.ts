import { runnerInside, sandboxPath } from '@horizon/runner-launch';
import type { HarnessName } from '@horizon/contracts';
import type { Harness } from './harness';
import { ClaudeCodeHarness } from './claude-harness';
import { CodexHarness } from './codex-harness';
import { OpenCodeHarness } from './opencode-harness';

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
export { CodexHarness, type CodexHarnessOptions } from './codex-harness';
export { ClaudeCodeHarness, type ClaudeHarnessOptions } from './claude-harness';

/** The harnesses available to a run inside a sandbox, by the name each records on its runs. */
export const sandboxHarnesses = {
  opencode: (): Harness =>
    new OpenCodeHarness({ binary: runnerInside.opencode, path: sandboxPath, killGraceMs: 2000 }),
  codex: (): Harness =>
    new CodexHarness({ binary: runnerInside.codex, path: sandboxPath, killGraceMs: 2000 }),
  'claude-code': (): Harness =>
    new ClaudeCodeHarness({ binary: runnerInside.claude, path: sandboxPath, killGraceMs: 2000 }),
} as const satisfies Record<HarnessName, () => Harness>;
