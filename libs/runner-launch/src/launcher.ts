import { createInterface } from 'node:readline';
import {
  agentRunSpecSchema,
  browserCheckAnswerSchema,
  runnerInputSchema,
  runnerLineSchema,
  type AgentRunSpecInput,
  type BrowserCheckRequest,
  type BrowserCheckResult,
  type RunnerEvent,
  type RunnerInput,
  type RunReport,
} from '@horizon/contracts';
import type { SandboxDriver, SandboxHandle } from '@horizon/sandbox';
import { runnerInside } from './layout';
import type { RunDeadlineSource } from './run-clock';
import { emptyReport } from './report';

export interface LaunchAgentRunOptions {
  /** Each transcript entry, in order, as the runner prints it. Must not throw. */
  onEvent?: (event: RunnerEvent) => void;
  /** Aborting sends the runner SIGTERM: it stops the agent and reports `cancelled`. */
  signal?: AbortSignal;
  /** How long a runner may take to report after SIGTERM or past the deadline before it is killed. */
  graceMs?: number;
  /**
   * Follow-ups for the agent while the run goes on, written to the runner's stdin as they
   * come. Without it stdin is closed after the spec.
   */
  followUps?: AsyncIterable<RunnerInput>;
  /**
   * The run's deadline when it can move (a run held at its budget): the runner is not killed
   * while it is held, and is told the later deadline when it goes on. Default: the spec's.
   */
  deadline?: RunDeadlineSource;
  /**
   * Checks the runner's preview in a browser (a run whose spec has a `preview`); the result is
   * written back to the runner's stdin. Without it such a request is answered `skipped`.
   */
  onBrowserCheck?: (request: BrowserCheckRequest) => Promise<BrowserCheckResult>;
}

const STDERR_TAIL = 8 * 1024;

/**
 * Runs the agent-runner inside a booted sandbox (host side; sandbox-manager's AgentLauncher):
 * execs the bundled runner with the node bound into the sandbox, writes the run spec to its
 * stdin (then the follow-ups, one JSON line each: the pipe the runner already has is the
 * only way in, no port or shared file), passes its transcript to `onEvent`, and resolves
 * with its report. A runner that dies
 * without reporting gives an `infra_error` report (`timed_out`/`cancelled` when it was killed
 * for that); the promise rejects only when the runner cannot be started at all.
 */
export async function launchAgentRun(
  driver: SandboxDriver,
  handle: SandboxHandle,
  spec: AgentRunSpecInput,
  options: LaunchAgentRunOptions = {},
): Promise<RunReport> {
  const parsed = agentRunSpecSchema.parse(spec);
  const grace = options.graceMs ?? 30_000;
  const proc = await driver.exec(handle, [runnerInside.node, runnerInside.bundle], {
    cwd: handle.workspacePath,
  });
  proc.stdin.on('error', () => undefined);
  const specLine = `${JSON.stringify(parsed)}\n`;
  let runnerDone = false;
  // The pipe stays open while anything may still be written to it: follow-ups, or the answers
  // to a preview's browser checks.
  const answersBrowserChecks = parsed.preview !== null;
  if (options.followUps || answersBrowserChecks) {
    proc.stdin.write(specLine);
    if (options.followUps)
      void passFollowUps(options.followUps, (line) => {
        if (runnerDone) return false;
        proc.stdin.write(line);
        return true;
      });
  } else proc.stdin.end(specLine);
  const answerBrowserCheck = async (request: BrowserCheckRequest) => {
    const result: BrowserCheckResult = options.onBrowserCheck
      ? await options.onBrowserCheck(request).catch((error: unknown) => ({
          target: request.target,
          round: request.round,
          outcome: 'skipped' as const,
          problems: [],
          summary: `the browser check could not run: ${error instanceof Error ? error.message : String(error)}`,
        }))
      : {
          target: request.target,
          round: request.round,
          outcome: 'skipped',
          problems: [],
          summary: 'this sandbox host does not run browser checks',
        };
    const answer = browserCheckAnswerSchema.parse({
      ...result,
      type: 'browser_checked',
      requestId: request.requestId,
    });
    if (!runnerDone) proc.stdin.write(`${JSON.stringify(answer)}\n`);
  };

  let report: RunReport | undefined;
  let runnerPid: number | undefined;
  let killedFor: 'timed_out' | 'cancelled' | undefined;
  let stderr = '';
  const timers: NodeJS.Timeout[] = [];
  const killAfter = (ms: number, reason: 'timed_out' | 'cancelled') =>
    timers.push(
      setTimeout(
        () => {
          killedFor ??= reason;
          proc.kill();
        },
        Math.max(0, ms),
      ),
    );

  // SIGTERM goes in through the sandbox (a process inside may only be signalled from inside
  // on other drivers); the pid is the runner's own, from its first event.
  let termRequested = false;
  const sendTerm = () => {
    if (runnerPid === undefined || termRequested) return;
    termRequested = true;
    void driver
      .exec(handle, ['/bin/sh', '-c', 'kill -TERM "$0"', String(runnerPid)])
      .then((killer) => killer.stdin.end())
      .catch(() => proc.kill());
  };
  const onAbort = () => {
    sendTerm();
    killAfter(grace, 'cancelled');
  };
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort);
  let deadlineTimer: NodeJS.Timeout | undefined;
  const armDeadline = (at: number | null) => {
    clearTimeout(deadlineTimer);
    if (at === null) return;
    killAfter(at - Date.now() + grace, 'timed_out');
    deadlineTimer = timers.at(-1);
  };
  armDeadline(options.deadline ? options.deadline.deadlineAt : Date.parse(parsed.deadlineAt));
  const stopFollowingDeadline = options.deadline?.onChange(() => {
    const at = options.deadline!.deadlineAt;
    armDeadline(at);
    // Written at once, before the sandbox thaws: the runner reads it ahead of its own deadline timers.
    if (at !== null && options.followUps && !runnerDone)
      proc.stdin.write(`${JSON.stringify({ type: 'deadline', deadlineAt: new Date(at).toISOString() })}\n`);
  });

  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL);
  });
  const lines = createInterface({ input: proc.stdout, crlfDelay: Infinity });
  try {
    for await (const text of lines) {
      const line = runnerLineSchema.safeParse(safeJson(text));
      if (!line.success) {
        stderr = (stderr + `unreadable runner line: ${text.slice(0, 200)}\n`).slice(-STDERR_TAIL);
        continue;
      }
      if (line.data.type === 'report') {
        report = line.data;
        continue;
      }
      if (line.data.type === 'browser_check') {
        void answerBrowserCheck(line.data);
        continue;
      }
      if (line.data.kind === 'runner.started' && typeof line.data.detail?.pid === 'number') {
        runnerPid = line.data.detail.pid;
        if (options.signal?.aborted) sendTerm();
      }
      options.onEvent?.(line.data);
    }
    const exit = await proc.exit;
    if (report) return report;
    const status = exit.outOfMemory
      ? 'out of memory'
      : exit.signal
        ? `signal ${exit.signal}`
        : `exit ${exit.code}`;
    const outcome = killedFor ?? 'infra_error';
    const why =
      killedFor === 'timed_out'
        ? 'killed past its deadline'
        : killedFor
          ? 'killed after cancellation'
          : 'ended';
    return emptyReport(
      outcome,
      `the agent-runner ${why} without a report (${status}): ${stderr.trim().slice(-1000)}`,
    );
  } finally {
    runnerDone = true;
    proc.stdin.end();
    for (const timer of timers) clearTimeout(timer);
    stopFollowingDeadline?.();
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** Each input (follow-ups, a save-and-stop) as one line (one the runner could not read is left out), until `write` says the runner is gone. */
async function passFollowUps(
  followUps: AsyncIterable<RunnerInput>,
  write: (line: string) => boolean,
): Promise<void> {
  for await (const followUp of followUps) {
    const line = runnerInputSchema.safeParse(followUp);
    if (line.success && !write(`${JSON.stringify(line.data)}\n`)) return;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
