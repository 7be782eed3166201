import type { BudgetExtra, RunAllowance } from '@horizon/contracts';
import { RunClock } from '@horizon/runner-launch';
import type { ModelGate } from '@horizon/sandbox';
import type { RunModelUsage } from './model-usage';

/** A run held at its allowance: what it spent and why it stopped. */
export interface BudgetHold {
  runId: string;
  sandboxId: string;
  workItemId: string;
  spentTokens: number;
  spentCostUsd: number;
  reason: string;
  answerBy: Date;
}

/** What sandbox-manager does when a run is held, and when its owner did not answer in time. */
export interface BudgetListener {
  held(hold: BudgetHold): Promise<void>;
  unanswered(hold: BudgetHold, reason: string): Promise<void>;
}

type Waiter = (decision: { allowed: true } | { allowed: false; reason: string }) => void;

interface RunBudget {
  sandboxId: string;
  workItemId: string;
  allowance: RunAllowance;
  spentTokens: number;
  spentCostUsd: number;
  state: 'open' | 'held' | 'stopped';
  hold: BudgetHold | null;
  /** Model requests the proxy holds until the answer. */
  waiters: Waiter[];
  timer: NodeJS.Timeout | null;
  stopReason: string | null;
  /** Its working time (the wall-time allowance counts it) and deadline, both still while held. */
  clock: RunClock;
  /** Answers taken (by command id): one delivered again is not applied to a later hold. */
  answered: Set<string>;
}

/** What an answer found. */
export type BudgetAnswerResult =
  | { kind: 'continued'; hold: BudgetHold }
  | { kind: 'stopped'; hold: BudgetHold; reason: string }
  | { kind: 'not_held'; reason: string };

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 4 });
const count = new Intl.NumberFormat('en-US');

/** "45 s", "12 min", "1 min 5 s": seconds matter at a small allowance, minutes at a real one. */
function duration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const [min, sec] = [Math.floor(seconds / 60), seconds % 60];
  if (min === 0) return `${sec} s`;
  return sec === 0 ? `${min} min` : `${min} min ${sec} s`;
}

/**
 * The model allowance of each run on this host, counted from what its egress proxy saw. Once a
 * run has spent its allowance, the proxy's next model request waits here (nothing more reaches
 * the provider, so a limit is passed by at most the responses already on their way) and the
 * listener pauses the sandbox and asks the owner; the answer lets the held requests go on or
 * refuses them, and no answer before the allowance's timeout counts as "stop".
 */
export class RunBudgets {
  private readonly runs = new Map<string, RunBudget>();
  private listener: BudgetListener | null = null;

  constructor(private readonly now: () => Date = () => new Date()) {}

  attach(listener: BudgetListener): void {
    this.listener = listener;
  }

  /** Without a clock (a run with no deadline of its own) its working time is counted from now. */
  open(run: {
    runId: string;
    sandboxId: string;
    workItemId: string;
    allowance: RunAllowance;
    clock?: RunClock;
  }): void {
    this.runs.set(run.runId, {
      sandboxId: run.sandboxId,
      workItemId: run.workItemId,
      allowance: { ...run.allowance },
      spentTokens: 0,
      spentCostUsd: 0,
      state: 'open',
      hold: null,
      waiters: [],
      timer: null,
      stopReason: null,
      clock: run.clock ?? new RunClock(Infinity, () => this.now().getTime()),
      answered: new Set(),
    });
  }

  /** The run ended: requests still held are refused, the timer dropped. */
  close(runId: string): void {
    const run = this.runs.get(runId);
    if (!run) return;
    if (run.timer) clearTimeout(run.timer);
    this.release(run, { allowed: false, reason: 'the run ended' });
    this.runs.delete(runId);
  }

  /** Told every counted model request (the ModelUsageRecorder's observer). */
  counted(usage: RunModelUsage, costUsd: number | null): void {
    const run = this.runs.get(usage.runId);
    if (!run) return;
    run.spentTokens += usage.input + usage.output;
    run.spentCostUsd += costUsd ?? 0;
  }

  /** The proxy's gate for the run's model requests; a run with no allowance is never held. */
  gate(runId: string): ModelGate {
    return () => {
      const run = this.runs.get(runId);
      if (!run) return Promise.resolve({ allowed: true });
      if (run.state === 'stopped') return Promise.resolve({ allowed: false, reason: run.stopReason! });
      if (run.state === 'open') {
        const reason = this.overBy(run);
        if (!reason) return Promise.resolve({ allowed: true });
        this.hold(run, runId, reason);
      }
      return new Promise((resolve) => run.waiters.push(resolve));
    };
  }

  /**
   * "continue": the allowance grows by `extra` and the held requests go on (held again at once
   * when the run is still over a limit); "stop": they are refused, and so is every later one.
   * Either way the run's clock goes on, its deadline later by the time held: answered before the
   * sandbox thaws, so the runner reads its new deadline ahead of its own timers.
   */
  answer(
    runId: string,
    action: 'continue' | 'stop',
    extra: BudgetExtra,
    by: string,
    answerId?: string,
  ): BudgetAnswerResult {
    const run = this.runs.get(runId);
    if (!run || run.state !== 'held' || !run.hold)
      return { kind: 'not_held', reason: `run ${runId} is not held at its budget on this host` };
    if (answerId !== undefined && run.answered.has(answerId))
      return { kind: 'not_held', reason: `answer ${answerId} was taken for an earlier hold of run ${runId}` };
    if (answerId !== undefined) run.answered.add(answerId);
    const hold = run.hold;
    if (run.timer) clearTimeout(run.timer);
    run.timer = null;
    run.clock.resume();
    if (action === 'stop') {
      const reason = `stopped at its budget by ${by} (${hold.reason})`;
      this.stop(run, reason);
      return { kind: 'stopped', hold, reason };
    }
    if (extra.tokens !== null && run.allowance.tokens !== null) run.allowance.tokens += extra.tokens;
    if (extra.costUsd !== null && run.allowance.costUsd !== null) run.allowance.costUsd += extra.costUsd;
    if (extra.minutes !== null && run.allowance.wallMs !== null)
      run.allowance.wallMs += extra.minutes * 60_000;
    run.state = 'open';
    run.hold = null;
    return { kind: 'continued', hold };
  }

  /** The run's hold, while it waits for its owner's answer. */
  heldRun(runId: string): BudgetHold | null {
    const run = this.runs.get(runId);
    return run?.state === 'held' ? run.hold : null;
  }

  /** After "continue" has thawed the sandbox: the held requests go through the gate again. */
  resume(runId: string): void {
    const run = this.runs.get(runId);
    if (!run) return;
    const waiters = run.waiters.splice(0);
    for (const waiter of waiters) void this.gate(runId)().then(waiter);
  }

  private stop(run: RunBudget, reason: string): void {
    run.state = 'stopped';
    run.stopReason = reason;
    this.release(run, { allowed: false, reason });
  }

  private release(run: RunBudget, decision: Parameters<Waiter>[0]): void {
    for (const waiter of run.waiters.splice(0)) waiter(decision);
  }

  private hold(run: RunBudget, runId: string, reason: string): void {
    const { answerTimeoutMs } = run.allowance;
    const hold: BudgetHold = {
      runId,
      sandboxId: run.sandboxId,
      workItemId: run.workItemId,
      spentTokens: run.spentTokens,
      spentCostUsd: run.spentCostUsd,
      reason,
      answerBy: new Date(this.now().getTime() + answerTimeoutMs),
    };
    run.state = 'held';
    run.hold = hold;
    run.clock.hold();
    run.timer = setTimeout(() => {
      if (run.hold !== hold) return;
      run.timer = null;
      run.clock.resume();
      const stopped = `stopped at its budget: no answer within ${Math.round(answerTimeoutMs / 1000)} s (${reason})`;
      this.stop(run, stopped);
      void this.listener?.unanswered(hold, stopped);
    }, answerTimeoutMs);
    run.timer.unref();
    void this.listener?.held(hold);
  }

  /** Why the run may not go on, or null while it is within its allowance. */
  private overBy(run: RunBudget): string | null {
    const { tokens, costUsd, tokensFrom, costFrom, wallMs, wallFrom } = run.allowance;
    const worked = run.clock.activeMs;
    if (wallMs !== null && worked >= wallMs)
      return `${wallFrom ?? 'wall-time limit'}: ${duration(worked)} of ${duration(wallMs)} worked`;
    if (tokens !== null && run.spentTokens >= tokens)
      return `${tokensFrom ?? 'token limit'}: ${count.format(run.spentTokens)} of ${count.format(tokens)} tokens spent`;
    if (costUsd !== null && run.spentCostUsd >= costUsd)
      return `${costFrom ?? 'cost limit'}: ${usd.format(run.spentCostUsd)} of ${usd.format(costUsd)} spent`;
    return null;
  }
}
