import {
  Contract,
  DataOf,
  SourceRefs,
  WorkItemState,
  workItemStateChanged,
  workItemStates,
} from '@horizon/contracts';

/** An edge of the work-item lifecycle, with the situation that takes it (DESIGN §5). */
export interface TransitionRule {
  readonly from: WorkItemState;
  readonly to: WorkItemState;
  readonly when: string;
}

/**
 * The lifecycle as data. `revising` covers a whole revise run (its provisioning, running and
 * verifying live on the Run, not the item): the PR stays open throughout, so a revise run that
 * fails or times out hands the item back to `in_review` rather than failing it. Infra failures
 * of a first run go back to `queued` for another attempt; `blocked` is only reachable before a
 * run starts, since a blocker added later cannot stop work already in a sandbox. An item that
 * ended without its work done (failed, cancelled, timed out) moves again only when a person
 * retries it: back to `queued`, where the scheduler starts a new run. `waiting` is a budget's pause:
 * a run held at its allowance (its sandbox frozen) or an item whose budget is spent, until a
 * person answers "continue" (with more) or "stop"; the answer takes it back where it was.
 */
export const workItemTransitions: readonly TransitionRule[] = [
  { from: 'received', to: 'planned', when: 'recorded; it waits for a human (or automation) to start it' },
  { from: 'received', to: 'queued', when: 'recorded and started at once' },
  { from: 'received', to: 'blocked', when: 'recorded with blockers that are not merged yet' },
  { from: 'received', to: 'failed', when: 'the request cannot be carried out (unknown repo, bad reference)' },
  { from: 'received', to: 'cancelled', when: 'cancelled before it was planned' },

  { from: 'planned', to: 'queued', when: 'started by a human, the API, or the automation policy' },
  { from: 'planned', to: 'blocked', when: 'a blocker was added' },
  { from: 'planned', to: 'cancelled', when: 'cancelled' },

  {
    from: 'blocked',
    to: 'queued',
    when: 'its last blocker merged and it is eligible to start automatically',
  },
  { from: 'blocked', to: 'planned', when: 'its last blocker merged; it waits for a human to start it' },
  { from: 'blocked', to: 'cancelled', when: 'cancelled while blocked' },

  { from: 'queued', to: 'provisioning', when: 'the scheduler picked its run and requested a sandbox' },
  { from: 'queued', to: 'blocked', when: 'a blocker was added before its run started' },
  { from: 'queued', to: 'cancelled', when: 'cancelled while waiting' },
  { from: 'queued', to: 'timed_out', when: 'waited for capacity longer than allowed' },

  { from: 'provisioning', to: 'running', when: 'the sandbox is ready and the harness started' },
  { from: 'provisioning', to: 'queued', when: 'an infra failure; another attempt is allowed' },
  { from: 'provisioning', to: 'failed', when: 'an infra failure with no attempts left' },
  { from: 'provisioning', to: 'cancelled', when: 'cancelled while its sandbox was being made' },
  { from: 'provisioning', to: 'timed_out', when: 'the run deadline passed' },

  { from: 'running', to: 'verifying', when: "the agent finished; the repo's verification commands run" },
  { from: 'running', to: 'in_review', when: 'a pull request was opened (the repo has no verification step)' },
  {
    from: 'running',
    to: 'done',
    when: 'the run finished with nothing to review (plan, retro, a thread answer)',
  },
  { from: 'running', to: 'queued', when: 'an infra failure; another attempt is allowed' },
  { from: 'running', to: 'failed', when: 'the agent failed, or an infra failure with no attempts left' },
  { from: 'running', to: 'cancelled', when: 'cancelled during the run' },
  { from: 'running', to: 'timed_out', when: 'the run deadline passed' },

  { from: 'verifying', to: 'in_review', when: 'verification passed and a pull request was opened' },
  {
    from: 'verifying',
    to: 'running',
    when: 'verification failed and the agent gets to fix it in the same run',
  },
  { from: 'verifying', to: 'queued', when: 'an infra failure; another attempt is allowed' },
  { from: 'verifying', to: 'failed', when: 'verification failed for good' },
  { from: 'verifying', to: 'cancelled', when: 'cancelled during verification' },
  { from: 'verifying', to: 'timed_out', when: 'the run deadline passed' },

  { from: 'in_review', to: 'revising', when: 'a review or mention asked for changes; a revise run started' },
  { from: 'in_review', to: 'merged', when: 'the pull request was merged' },
  { from: 'in_review', to: 'cancelled', when: 'the pull request was closed without merging' },

  {
    from: 'revising',
    to: 'in_review',
    when: 'the revise run ended (pushed, failed or timed out); the PR is still open',
  },
  { from: 'revising', to: 'merged', when: 'the pull request was merged while a revise run was in flight' },
  { from: 'revising', to: 'cancelled', when: 'the pull request was closed without merging' },

  { from: 'merged', to: 'done', when: 'the tracker issue was marked done' },

  {
    from: 'queued',
    to: 'waiting',
    when: 'a budget beyond one run is spent: it may not start until a person answers',
  },
  {
    from: 'running',
    to: 'waiting',
    when: 'its run reached a budget: held, its sandbox paused, the owner asked',
  },
  {
    from: 'verifying',
    to: 'waiting',
    when: 'its run reached a budget: held, its sandbox paused, the owner asked',
  },
  {
    from: 'revising',
    to: 'waiting',
    when: 'its revise run reached a budget: held, its sandbox paused, the owner asked',
  },
  {
    from: 'waiting',
    to: 'running',
    when: 'answered (continue, or stop with its work saved) or no answer in time',
  },
  {
    from: 'waiting',
    to: 'verifying',
    when: 'answered (continue, or stop with its work saved) or no answer in time',
  },
  {
    from: 'waiting',
    to: 'revising',
    when: 'answered (continue, or stop with its work saved) or no answer in time',
  },
  { from: 'waiting', to: 'queued', when: 'a person granted more: it may start' },
  { from: 'waiting', to: 'cancelled', when: 'a person stopped it, or cancelled it, while it waited' },

  { from: 'failed', to: 'queued', when: 'a person retried it; a new run starts' },
  { from: 'cancelled', to: 'queued', when: 'a person retried it; a new run starts' },
  { from: 'timed_out', to: 'queued', when: 'a person retried it; a new run starts' },
];

export const terminalWorkItemStates: readonly WorkItemState[] = ['done', 'failed', 'cancelled', 'timed_out'];

/** Ended with the work not done: only a person's retry moves such an item again. */
export const retryableWorkItemStates: readonly WorkItemState[] = ['failed', 'cancelled', 'timed_out'];

/** Its work ended: nothing but a person's retry (of the retryable ones) moves it again. */
export function isTerminal(state: WorkItemState): boolean {
  return terminalWorkItemStates.includes(state);
}

export class IllegalTransitionError extends Error {
  constructor(
    readonly workItemId: string,
    readonly from: WorkItemState,
    readonly to: WorkItemState,
    override readonly cause: string,
  ) {
    super(`Illegal work-item transition ${from} → ${to} (cause: ${cause}) for work item ${workItemId}`);
    this.name = 'IllegalTransitionError';
  }
}

/** What the state machine needs to know about an item. */
export interface WorkItemSnapshot {
  readonly id: string;
  readonly state: WorkItemState;
  readonly sourceRefs: SourceRefs;
}

export interface TransitionContext {
  /** Who or what caused it: an identity id, `system:watchdog`, `github:<login>`… */
  readonly actor: string;
  readonly at: Date;
  /** The run the transition concerns, when there is one. */
  readonly runId?: string | null;
}

export interface WorkItemAuditRecord {
  readonly workItemId: string;
  readonly runId: string | null;
  readonly from: WorkItemState;
  readonly to: WorkItemState;
  readonly cause: string;
  readonly actor: string;
  readonly at: Date;
}

/** A message to write to the outbox in the same transaction as the state it announces. */
export interface OutboxMessage<C extends Contract = Contract> {
  readonly contract: C;
  readonly data: DataOf<C>;
}

export interface TransitionResult {
  readonly state: WorkItemState;
  readonly stateEnteredAt: Date;
  readonly audit: WorkItemAuditRecord;
  readonly events: readonly OutboxMessage<typeof workItemStateChanged>[];
}

/**
 * The one place a work item changes state. It computes, it does not store: the caller writes
 * the new state, the audit record and the events in one transaction (the outbox).
 */
export class WorkItemStateMachine {
  private readonly edges: ReadonlyMap<WorkItemState, ReadonlySet<WorkItemState>>;

  constructor(readonly rules: readonly TransitionRule[] = workItemTransitions) {
    const edges = new Map<WorkItemState, Set<WorkItemState>>(workItemStates.map((s) => [s, new Set()]));
    for (const rule of rules) edges.get(rule.from)?.add(rule.to);
    this.edges = edges;
  }

  canTransition(from: WorkItemState, to: WorkItemState): boolean {
    return this.edges.get(from)?.has(to) ?? false;
  }

  nextStates(from: WorkItemState): WorkItemState[] {
    return [...(this.edges.get(from) ?? [])];
  }

  /** @throws IllegalTransitionError when the table has no edge `item.state → to`, or the cause is blank. */
  transition(
    item: WorkItemSnapshot,
    to: WorkItemState,
    cause: string,
    context: TransitionContext,
  ): TransitionResult {
    if (!this.canTransition(item.state, to) || cause.trim() === '') {
      throw new IllegalTransitionError(item.id, item.state, to, cause);
    }
    const runId = context.runId ?? null;
    return {
      state: to,
      stateEnteredAt: context.at,
      audit: {
        workItemId: item.id,
        runId,
        from: item.state,
        to,
        cause,
        actor: context.actor,
        at: context.at,
      },
      events: [
        {
          contract: workItemStateChanged,
          data: { workItemId: item.id, from: item.state, to, cause, runId, sourceRefs: item.sourceRefs },
        },
      ],
    };
  }
}
