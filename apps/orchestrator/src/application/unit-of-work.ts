import { Inject, Injectable } from '@nestjs/common';
import { Contract, DataOf, Envelope, envelopeFor, type FrictionEvent } from '@horizon/contracts';
import { DATABASE, appendToOutbox, claimMessage } from '@horizon/db';
import type { Database, Tx } from '@horizon/db';
import { StaleWorkItemError } from '../persistence/work-item.repository';
import { OrchestratorMetrics } from './metrics';

/** What one transaction did, for the work that follows its commit (metrics, waking the scheduler). */
export interface Committed {
  readonly transitions: readonly { from: string; to: string }[];
  /** Something became queued or capacity was freed: the scheduler has work. */
  readonly schedulingChanged: boolean;
}

/**
 * One transaction's writes and the messages it causes. Messages are appended to the outbox at
 * the end of the same transaction, so they exist if and only if the state they announce does.
 */
export class UnitOfWork {
  readonly envelopes: Envelope[] = [];
  readonly transitions: { from: string; to: string }[] = [];
  /** Runs whose end this transaction records: counted in the metrics once it commits. */
  readonly runsEnded: {
    repo: string;
    outcome: string;
    toolCalls: number;
    friction: readonly FrictionEvent[];
  }[] = [];
  schedulingChanged = false;
  /** Fleets whose children changed in this transaction; `links`: a child's PR was linked. */
  readonly fleets = new Map<string, { links: boolean }>();

  constructor(
    readonly tx: Tx,
    readonly now: Date,
    /** The message being handled; its correlation id carries over to everything emitted. */
    readonly causedBy: Pick<Envelope, 'id' | 'correlationId'> | null,
    /** How many times the message being handled has been delivered (1 the first time). */
    readonly deliveryCount = 1,
  ) {}

  /** A fleet child changed: its fleet's progress (and, `links`, its PRs' links) follow in this transaction. */
  touchFleet(fleetId: string, links = false): void {
    this.fleets.set(fleetId, { links: links || (this.fleets.get(fleetId)?.links ?? false) });
  }

  emit<C extends Contract>(contract: C, data: DataOf<C>): void {
    this.envelopes.push(
      envelopeFor(contract, data, {
        source: 'orchestrator',
        ...(this.causedBy ? { causedBy: this.causedBy } : {}),
      }),
    );
  }
}

export interface Claim {
  /** The inbox consumer name. */
  readonly consumer: string;
  /** Idempotency keys: the envelope id, and for ingress the sender's delivery id. Any one seen before → duplicate. */
  readonly keys: readonly string[];
  readonly deliveryCount?: number;
}

export type TransactionResult<T> = { applied: true; value: T } | { applied: false };

type CommitListener = (committed: Committed) => void;
/** Work that follows from the handler's writes and belongs to the same transaction (fleet progress). */
type BeforeCommit = (uow: UnitOfWork) => Promise<void>;

const MAX_CONFLICT_RETRIES = 8;

/**
 * Runs handler work in one Prisma transaction: inbox claim first, outbox last. A version
 * conflict on a work item (another handler or replica changed it) reruns the whole transaction
 * against fresh rows; anything else propagates, rolls back, and leaves redelivery to JetStream.
 */
@Injectable()
export class Transactor {
  private readonly listeners: CommitListener[] = [];
  private readonly beforeCommitHooks: BeforeCommit[] = [];

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly metrics: OrchestratorMetrics,
  ) {}

  onCommitted(listener: CommitListener): void {
    this.listeners.push(listener);
  }

  beforeCommit(hook: BeforeCommit): void {
    this.beforeCommitHooks.push(hook);
  }

  async run<T>(
    claim: Claim | null,
    causedBy: UnitOfWork['causedBy'],
    work: (uow: UnitOfWork) => Promise<T>,
  ): Promise<TransactionResult<T>> {
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await this.db.prisma.$transaction(
          async (tx) => {
            if (claim) {
              for (const key of claim.keys) {
                if (!(await claimMessage(tx, claim.consumer, key))) return null;
              }
            }
            const uow = new UnitOfWork(tx, new Date(), causedBy, claim?.deliveryCount);
            const value = await work(uow);
            for (const hook of this.beforeCommitHooks) await hook(uow);
            await appendToOutbox(tx, uow.envelopes);
            return { uow, value };
          },
          { maxWait: 15_000, timeout: 30_000 },
        );
        if (!outcome) return { applied: false };
        this.afterCommit(outcome.uow);
        return { applied: true, value: outcome.value };
      } catch (err) {
        if (!(err instanceof StaleWorkItemError) || attempt >= MAX_CONFLICT_RETRIES) throw err;
        this.metrics.conflicts.inc();
      }
    }
  }

  private afterCommit(uow: UnitOfWork): void {
    for (const t of uow.transitions) this.metrics.transitions.inc({ from: t.from, to: t.to });
    for (const run of uow.runsEnded) this.metrics.runEnded(run);
    const committed = { transitions: uow.transitions, schedulingChanged: uow.schedulingChanged };
    for (const listener of this.listeners) listener(committed);
  }
}
