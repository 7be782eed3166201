import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DATABASE } from '@horizon/db';
import type { Database } from '@horizon/db';
import { LOGGER } from '@horizon/observability';
import type { Logger } from '@horizon/observability';
import { ConcurrencyLimits, selectRunnable } from '../domain';
import { WorkItemRepository } from '../persistence/work-item.repository';
import { ORCHESTRATOR_CONFIG, activeStates } from '../settings';
import type { OrchestratorConfig } from '../settings';
import { RunLauncher, branchFor, promptFor } from './run-launcher';
import { Transactor, UnitOfWork } from './unit-of-work';
import { WorkItemTransitions, sourceRefsOf } from './work-item-transitions';

const PENDING_WINDOW = 500;
const ACTIVE_WINDOW = 10_000;
/** Starts committed concurrently within one pass (each is its own transaction). */
const START_CONCURRENCY = 4;

/**
 * Starts queued work items as capacity allows: after every commit that queued something or
 * freed capacity, and on a timer (back-offs elapse, a replica's kick may be lost). Passes are
 * serialized within a process; across replicas the item's version check lets one start win.
 */
@Injectable()
export class RunScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private pass: Promise<void> = Promise.resolve();
  private readonly limits: ConcurrencyLimits;
  private readonly logger: Logger;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly items: WorkItemRepository,
    private readonly transitions: WorkItemTransitions,
    private readonly launcher: RunLauncher,
    private readonly transactor: Transactor,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'run-scheduler' });
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
    this.running = true;
    this.timer = setInterval(() => this.kick(), this.config.SCHEDULER_INTERVAL_MS);
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    await this.pass;
  }

  /** Runs a pass now, or once more right after the one in progress. */
  kick(): void {
    if (!this.running || this.again) return;
    this.again = true;
    this.pass = this.pass.then(async () => {
      this.again = false;
      await this.schedule().catch((err) =>
        this.logger.error({ err }, 'scheduling pass failed; the timer retries'),
      );
    });
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
      })),
      active.map((a) => ({ runId: a.id, workItemId: a.id, repo: a.repo, ownerId: a.ownerId })),
      this.limits,
      now,
    );
    let started = 0;
    for (let i = 0; i < chosen.length; i += START_CONCURRENCY) {
      const batch = chosen.slice(i, i + START_CONCURRENCY);
      const results = await Promise.all(
        batch.map((run) => this.transactor.run(null, null, (uow) => this.start(uow, run.workItemId))),
      );
      started += results.filter((r) => r.applied && r.value).length;
    }
    return started;
  }

  /** queued → provisioning with a new run; false when the item moved on since it was read. */
  private async start(uow: UnitOfWork, workItemId: string): Promise<boolean> {
    const item = await this.items.get(uow.tx, workItemId);
    if (!item || item.state !== 'queued' || (item.notBefore && item.notBefore > uow.now)) return false;
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
    this.logger.info({ workItemId, runId: run.id, attempt: run.attempt }, 'run started');
    return true;
  }
}
