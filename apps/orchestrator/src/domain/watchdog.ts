import { WorkItemState } from '@horizon/contracts';
import { RetryPolicy } from './retry-policy';
import { WorkItemStateMachine } from './work-item-state-machine';

/**
 * What to do when an item overstays a state:
 * - `retry_run`: the run stalled for infra reasons; the retry policy grants another attempt
 *   (back to `queued`, with back-off) or fails the item.
 * - `redrive`: re-send the step that leaves the state (e.g. marking the tracker issue done);
 *   the state stays, and the item is looked at again `afterMs` after the re-send.
 * - `time_out`: move to `to` (`timed_out`, or `in_review` for a revise run: its PR is still open).
 * - `fail`: move to `failed`.
 * Rules with `runDeadlineGraceMs` measure from the current run's deadline (plus the grace, so the
 * sandbox's own timeout report lands first) when the item has one, and from `afterMs` otherwise.
 */
export type WatchdogRule =
  | { readonly onExpiry: 'retry_run'; readonly afterMs: number }
  | { readonly onExpiry: 'redrive'; readonly afterMs: number }
  | {
      readonly onExpiry: 'time_out';
      readonly afterMs: number;
      readonly to: WorkItemState;
      readonly runDeadlineGraceMs?: number;
    }
  | { readonly onExpiry: 'fail'; readonly afterMs: number };

export type WatchdogRules = Readonly<Partial<Record<WorkItemState, WatchdogRule>>>;

const minutes = (n: number) => n * 60_000;

/**
 * States where Horizon owes the next step. `planned`, `blocked` and `in_review` wait on humans
 * (or on other items) and are not watched; terminal states have nothing left to do.
 */
export const defaultWatchdogRules: WatchdogRules = {
  received: { onExpiry: 'fail', afterMs: minutes(10) },
  queued: { onExpiry: 'time_out', afterMs: minutes(24 * 60), to: 'timed_out' },
  provisioning: { onExpiry: 'retry_run', afterMs: minutes(5) },
  running: { onExpiry: 'time_out', afterMs: minutes(60), to: 'timed_out', runDeadlineGraceMs: minutes(2) },
  verifying: { onExpiry: 'time_out', afterMs: minutes(20), to: 'timed_out', runDeadlineGraceMs: minutes(2) },
  revising: { onExpiry: 'time_out', afterMs: minutes(60), to: 'in_review', runDeadlineGraceMs: minutes(2) },
  merged: { onExpiry: 'redrive', afterMs: minutes(2) },
};

export interface WatchedItem {
  readonly id: string;
  readonly state: WorkItemState;
  readonly stateEnteredAt: Date;
  /** The current run's attempt, 1 for the first. */
  readonly attempt: number;
  /** The current run's `deadlineAt`, when a run is in flight. */
  readonly runDeadlineAt: Date | null;
  /** When a `redrive` was last sent for the current state. */
  readonly redrivenAt: Date | null;
}

export interface WatchdogDecision {
  readonly workItemId: string;
  readonly state: WorkItemState;
  readonly action: 'retry' | 'time_out' | 'fail';
  /** Where the state machine should take the item; null when the state's step is re-sent instead. */
  readonly to: WorkItemState | null;
  readonly reason: string;
  readonly overdueMs: number;
  /** For a run retried: its next attempt and when it may start. */
  readonly retry: { readonly attempt: number; readonly notBefore: Date } | null;
}

export interface WatchdogReport {
  readonly decisions: WatchdogDecision[];
  /** The earliest deadline still ahead: when to look again (null when nothing is watched). */
  readonly nextCheckAt: Date | null;
}

export class Watchdog {
  constructor(
    readonly rules: WatchdogRules = defaultWatchdogRules,
    private readonly retryPolicy: RetryPolicy = new RetryPolicy(),
    machine: WorkItemStateMachine = new WorkItemStateMachine(),
  ) {
    for (const [state, rule] of Object.entries(rules) as [WorkItemState, WatchdogRule][]) {
      for (const to of exitsOf(rule)) {
        if (!machine.canTransition(state, to)) {
          throw new Error(
            `watchdog rule for ${state} would move it to ${to}, which the state machine forbids`,
          );
        }
      }
    }
  }

  /** When an item in its current state becomes overdue; null for a state that is not watched. */
  deadlineOf(item: WatchedItem): Date | null {
    const rule = this.rules[item.state];
    if (!rule) return null;
    if (rule.onExpiry === 'time_out' && rule.runDeadlineGraceMs !== undefined && item.runDeadlineAt) {
      return new Date(item.runDeadlineAt.getTime() + rule.runDeadlineGraceMs);
    }
    const since = rule.onExpiry === 'redrive' && item.redrivenAt ? item.redrivenAt : item.stateEnteredAt;
    return new Date(since.getTime() + rule.afterMs);
  }

  inspect(items: readonly WatchedItem[], now: Date): WatchdogReport {
    const decisions: WatchdogDecision[] = [];
    let nextCheckAt: number | null = null;
    for (const item of items) {
      const deadline = this.deadlineOf(item);
      if (!deadline) continue;
      const overdueMs = now.getTime() - deadline.getTime();
      if (overdueMs >= 0) decisions.push(this.decide(item, overdueMs, now));
      else nextCheckAt = Math.min(nextCheckAt ?? Infinity, deadline.getTime());
    }
    return { decisions, nextCheckAt: nextCheckAt === null ? null : new Date(nextCheckAt) };
  }

  private decide(item: WatchedItem, overdueMs: number, now: Date): WatchdogDecision {
    const rule = this.rules[item.state] as WatchdogRule;
    const stayed = `in ${item.state} since ${item.stateEnteredAt.toISOString()}`;
    const base = { workItemId: item.id, state: item.state, overdueMs, retry: null };
    switch (rule.onExpiry) {
      case 'retry_run': {
        const retry = this.retryPolicy.afterFailure(
          { failureClass: 'infra', attempt: item.attempt, reason: `stalled ${stayed}` },
          now,
        );
        return retry.retry
          ? {
              ...base,
              action: 'retry',
              to: 'queued',
              reason: retry.reason,
              retry: { attempt: retry.attempt, notBefore: retry.notBefore },
            }
          : { ...base, action: 'fail', to: 'failed', reason: retry.reason };
      }
      case 'redrive':
        return { ...base, action: 'retry', to: null, reason: `still ${stayed}; re-sending its next step` };
      case 'time_out': {
        const byRun = rule.runDeadlineGraceMs !== undefined && item.runDeadlineAt;
        const why = byRun
          ? `run deadline ${item.runDeadlineAt?.toISOString()} passed`
          : `over the ${rule.afterMs / 1000}s limit`;
        return { ...base, action: 'time_out', to: rule.to, reason: `${why}; ${stayed}` };
      }
      case 'fail':
        return {
          ...base,
          action: 'fail',
          to: 'failed',
          reason: `over the ${rule.afterMs / 1000}s limit; ${stayed}`,
        };
    }
  }
}

function exitsOf(rule: WatchdogRule): WorkItemState[] {
  switch (rule.onExpiry) {
    case 'retry_run':
      return ['queued', 'failed'];
    case 'redrive':
      return [];
    case 'time_out':
      return [rule.to];
    case 'fail':
      return ['failed'];
  }
}
