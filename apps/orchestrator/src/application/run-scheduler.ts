import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DATABASE } from '@horizon/db';
import type { Database } from '@horizon/db';
import { LOGGER } from '@horizon/observability';
import type { Logger } from '@horizon/observability';
import { ConcurrencyLimits, selectRunnable } from '../domain';
import { FleetRepository } from '../persistence/fleet.repository';
import { WorkItemRepository } from '../persistence/work-item.repository';
import { ORCHESTRATOR_CONFIG, activeStates } from '../settings';
import type { OrchestratorConfig } from '../settings';
import { BudgetPolicy, BudgetWaits } from './budgets';
import { RunLauncher, branchFor, promptFor } from './run-launcher';
import { PeriodicPass } from './periodic-pass';
import { Transactor, UnitOfWork } from './unit-of-work';
import { WorkItemTransitions, sourceRefsOf } from './work-item-transitions';

const PENDING_WINDOW = 500;
const ACTIVE_WINDOW = 10_000;
/** Starts committed concurrently within one pass (each is its own transaction). */
const START_CONCURRENCY = 4;

/** A fleet child's start would pass its fleet's cap (another replica started one meanwhile): rolled back. */
class FleetAtCapError extends Error {}

/**
 * Starts queued work items as capacity allows: after every commit that queued something or
 * freed capacity, and on a timer (back-offs elapse, a replica's kick may be lost). Passes are
 * serialized within a process; across replicas the item's version check lets one start win.
 */
@Injectable()
export class RunScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly passes: PeriodicPass;
  private readonly limits: ConcurrencyLimits;
  private readonly logger: Logger;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly items: WorkItemRepository,
    private readonly transitions: WorkItemTransitions,
    private readonly launcher: RunLauncher,
    private readonly budgets: BudgetPolicy,
    private readonly waits: BudgetWaits,
    private readonly transactor: Transactor,
    private readonly fleets: FleetRepository,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'run-scheduler' });
    this.passes = new PeriodicPass(
      () => this.schedule(),
      config.SCHEDULER_INTERVAL_MS,
      (err) => this.logger.error({ err }, 'scheduling pass failed; the timer retries'),
    );
    this.limits = {
      global: config.MAX_CONCURRENT_RUNS,
      perRepo: config.MAX_CONCURRENT_RUNS_PER_REPO,
      perOwner: config.MAX_CONCURRENT_RUNS_PER_OWNER,
    };
    transactor.onCommitted((committed) => {
      if (committed.schedulingChanged) this.kick();
    });
  }

  onApplicationBootstrap(): void {
    this.passes.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.passes.stop();
  }

  /** Runs a pass now, or once more right after the one in progress. */
  kick(): void {
    this.passes.kick();
  }

  /** One pass: picks what fits the limits and starts each in its own transaction. Returns how many started. */
  async schedule(): Promise<number> {
    const tx = this.db.prisma;
    const now = new Date();
    const active = await this.items.inStates(tx, activeStates, ACTIVE_WINDOW);
    if (active.length >= this.limits.global) return 0;
    const queued = await this.items.inStates(tx, ['queued'], PENDING_WINDOW);
    if (queued.length === 0) return 0;
    const chosen = selectRunnable(
      queued.map((q) => ({
        runId: q.id,
        workItemId: q.id,
        repo: q.repo,
        ownerId: q.ownerId,
        priority: q.priority,
        enqueuedAt: q.stateEnteredAt,
        notBefore: q.notBefore,
        group: q.fleetId && q.fleetCap ? { key: q.fleetId, cap: q.fleetCap } : null,
      })),
      active.map((a) => ({
        runId: a.id,
        workItemId: a.id,
        repo: a.repo,
        ownerId: a.ownerId,
        group: a.fleetId,
      })),
      this.limits,
      now,
    );
    let started = 0;
    for (let i = 0; i < chosen.length; i += START_CONCURRENCY) {
      const batch = chosen.slice(i, i + START_CONCURRENCY);
      const results = await Promise.all(
        batch.map((run) =>
          this.transactor
            .run(null, null, (uow) => this.start(uow, run.workItemId))
            .catch((err: unknown) => {
              if (err instanceof FleetAtCapError) return { applied: false as const };
              throw err;
            }),
        ),
      );
      started += results.filter((r) => r.applied && r.value).length;
    }
    return started;
  }

  /** queued → provisioning with a new run; false when the item moved on since it was read. */
  private async start(uow: UnitOfWork, workItemId: string): Promise<boolean> {
    const item = await this.items.get(uow.tx, workItemId);
    if (!item || item.state !== 'queued' || (item.notBefore && item.notBefore > uow.now)) return false;
    const refusal = await this.budgets.startRefusal(uow, item);
    if (refusal) {
      await this.waits.refuseStart(uow, item, refusal);
      this.logger.info({ workItemId, refusal }, 'run not started: a budget is spent');
      return false;
    }
    // A review reads the pull request's own head branch; other work gets a branch of its own.
    const branch =
      item.branch ?? sourceRefsOf(item).review?.headRef ?? branchFor(this.config.HORIZON_BRANCH_PREFIX, item);
    const run = await this.launcher.launch(uow, item, { branch, prompt: promptFor(item) });
    await this.transitions.move(
      uow,
      item,
      'provisioning',
      'the scheduler picked its run and requested a sandbox',
      {
        actor: 'system:scheduler',
        runId: run.id,
        changes: { branch, notBefore: null },
      },
    );
    // The fleet cap holds across replicas: with the item locked, the fleet is locked (that order,
    // as every child transaction takes them) and its runs in flight counted, this one included.
    const fleet = sourceRefsOf(item).fleet;
    if (fleet) {
      await this.fleets.lock(uow.tx, fleet.id);
      if ((await this.fleets.activeChildren(uow.tx, fleet.id, activeStates)) > fleet.cap)
        throw new FleetAtCapError();
    }
    this.logger.info({ workItemId, runId: run.id, attempt: run.attempt }, 'run started');
    return true;
  }
}
