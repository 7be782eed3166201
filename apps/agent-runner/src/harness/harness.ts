import type { ModelProvider } from '@horizon/contracts';

/**
 * The port between the agent-runner and a coding agent CLI (OpenCode today; Claude Code or
 * Codex would be further classes implementing `Harness`). The runner only sees normalized
 * events and a result, never a harness's own output format.
 */
export interface Harness {
  /** Short name recorded on the run, e.g. `opencode`. */
  readonly name: string;
  start(task: HarnessTask): HarnessRun;
}

export interface HarnessTask {
  prompt: string;
  /**
   * Continue this session (an earlier turn's `result.session`) instead of starting one: the
   * agent sees the conversation so far. Needs the earlier turn's `context.stateDir`.
   */
  session?: string;
  /** The repository checkout the agent works in (its current directory). */
  workdir: string;
  model: HarnessModelConfig;
  /** Extra variables for the agent and the commands it runs; nothing else is inherited. */
  env?: Record<string, string>;
  /** Budget from `start()`; past it the process group is killed and the run is `timed_out`. */
  deadlineMs: number;
  /** Where the deadline stands now (epoch milliseconds), when it may move later than `deadlineMs`. */
  deadlineAt?: () => number;
  context: HarnessContext;
  /** An MCP server for the agent (mcp-context), reached with a run-scoped bearer token. */
  mcp?: HarnessMcpServer;
}

export interface HarnessMcpServer {
  url: string;
  /** Kept out of the agent's environment like the provider key: a 0600 file the config refers to. */
  token: string;
}

export interface HarnessModelConfig {
  /** The provider's wire: OpenAI's chat completions (the default) or Anthropic's Messages API. */
  provider?: ModelProvider;
  /** The provider's API base, ending in `/v1`. */
  baseUrl: string;
  /** Model id at the provider, used for the agent's turns. */
  model: string;
  /** Model for side requests (session titles); defaults to `model`. */
  smallModel?: string;
  /**
   * Provider key. Kept out of the agent's environment and argv: written to a 0600 file in the
   * run's state folder that only the provider configuration refers to.
   */
  apiKey?: string;
  /** USD per million tokens, so the harness can report cost. */
  costPerMillionTokens?: { input: number; output: number };
}

export interface HarnessContext {
  runId: string;
  /** Session title; saves the agent a title request to the model. */
  title?: string;
  /**
   * Folder for the harness's home, configuration and state. Default: a temporary folder
   * removed when the run ends; a given folder is left in place for the caller to collect.
   */
  stateDir?: string;
}

export interface HarnessTokens {
  input: number;
  output: number;
  reasoning: number;
  cacheRead: number;
  cacheWrite: number;
}

/** What the agent did, normalized across harnesses. `at` is epoch milliseconds. */
export type HarnessEvent =
  | { type: 'step_start'; at: number }
  | { type: 'text'; at: number; text: string }
  | {
      type: 'tool_use';
      at: number;
      tool: string;
      callId: string;
      status: 'completed' | 'error';
      input: Record<string, unknown>;
      output: string;
      /** Exit status of a shell command, when the tool ran one. */
      exitCode?: number;
    }
  | { type: 'step_finish'; at: number; reason: string; tokens: HarnessTokens; costUsd: number }
  | { type: 'error'; at: number; message: string };

export interface HarnessUsage {
  /** Prompt tokens, cache reads and writes included. */
  inputTokens: number;
  /** Completion tokens, reasoning included. */
  outputTokens: number;
  costUsd: number;
}

export type HarnessExit = 'completed' | 'failed' | 'timed_out' | 'cancelled';

export interface HarnessResult {
  exit: HarnessExit;
  usage: HarnessUsage;
  durationMs: number;
  /** Why the run did not complete: the agent's error, the exit status, the deadline. */
  error?: string;
  /** The session the turn worked in, for a later turn to continue; absent if none was opened. */
  session?: string;
  /**
   * Messages `send` passed that the agent never took up (they reached the session as its turn
   * was ending): removed from the session, for the caller to give to another turn.
   */
  unanswered: string[];
}

export interface HarnessRun {
  /** Every event from the start, to any number of readers; ends when the run ends. */
  readonly events: AsyncIterable<HarnessEvent>;
  readonly result: Promise<HarnessResult>;
  /** Process id of the harness's process-group leader. */
  readonly pid: number | undefined;
  /** Kills the run; resolves once its process group is gone. The result is `cancelled`. */
  cancel(): Promise<void>;
  /**
   * Adds a user message to the session while the turn goes on; the agent takes it up after
   * its current step, in this turn. False when the turn is ending or over (or the message
   * could not be added): the caller gives it to another turn.
   */
  send(text: string): Promise<boolean>;
}
