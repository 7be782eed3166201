import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { RunOutcome, WorkItemState } from '@horizon/contracts';
import { DATABASE } from '@horizon/db';
import type { Database } from '@horizon/db';
import { LOGGER } from '@horizon/observability';
import type { Logger } from '@horizon/observability';
import { Watchdog, WatchdogDecision, WatchdogRules, defaultWatchdogRules } from '../domain';
import { WorkItemRepository } from '../persistence/work-item.repository';
import { ORCHESTRATOR_CONFIG } from '../settings';
import type { OrchestratorConfig } from '../settings';
import { OrchestratorMetrics } from './metrics';
import { RunLauncher } from './run-launcher';
import { RunLifecycleService } from './run-lifecycle.service';
import { Transactor, UnitOfWork } from './unit-of-work';
import { WorkItemService } from './work-item.service';
import { WorkItemTransitions } from './work-item-transitions';

const ACTOR = 'system:watchdog';
const WATCH_WINDOW = 5_000;

/** The default rules with the run deadline grace and the provisioning limit from config. */
export function watchdogRules(config: OrchestratorConfig): WatchdogRules {
  const rules: Record<string, WatchdogRules[WorkItemState]> = { ...defaultWatchdogRules };
  rules.provisioning = { onExpiry: 'retry_run', afterMs: config.WATCHDOG_PROVISIONING_TIMEOUT_MS };
  for (const state of ['running', 'verifying', 'revising'] as const) {
    const rule = defaultWatchdogRules[state];
    if (rule?.onExpiry === 'time_out')
      rules[state] = { ...rule, runDeadlineGraceMs: config.WATCHDOG_DEADLINE_GRACE_MS };
  }
  return rules as WatchdogRules;
}

/**
 * On a timer, asks the domain's `Watchdog` which non-terminal items overstayed their state and
 * applies its decisions, each in its own transaction against a fresh read (an item that moved
 * meanwhile is left alone). A run ended this way gets `sandboxCancel`.
 */
@Injectable()
export class WatchdogService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly watchdog: Watchdog;
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private sweep: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly items: WorkItemRepository,
    private readonly transitions: WorkItemTransitions,
    private readonly launcher: RunLauncher,
    lifecycle: RunLifecycleService,
    private readonly workItems: WorkItemService,
    private readonly transactor: Transactor,
    private readonly metrics: OrchestratorMetrics,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.watchdog = new Watchdog(watchdogRules(config), lifecycle.retryPolicy, transitions.machine);
    this.logger = logger.child({ component: 'watchdog' });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweep = this.sweep
        .then(() => this.inspect())
        .catch((err) => this.logger.error({ err }, 'watchdog sweep failed; the next one retries'));
    }, this.config.WATCHDOG_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweep;
  }

  /** One sweep; returns the decisions it applied. */
  async inspect(now = new Date()): Promise<WatchdogDecision[]> {
    const watchedStates = Object.keys(this.watchdog.rules) as WorkItemState[];
    const watched = await this.items.watched(this.db.prisma, watchedStates, WATCH_WINDOW);
    const { decisions } = this.watchdog.inspect(watched, now);
    const enteredAt = new Map(watched.map((w) => [w.id, w.stateEnteredAt.getTime()]));
    const applied: WatchdogDecision[] = [];
    for (const decision of decisions) {
      const seen = enteredAt.get(decision.workItemId) as number;
      const result = await this.transactor.run(null, null, (uow) => this.apply(uow, decision, seen));
      if (result.applied && result.value) {
        applied.push(decision);
        this.metrics.watchdogDecisions.inc({ state: decision.state, action: decision.action });
        this.logger.warn({ ...decision }, 'watchdog acted on an overdue item');
      }
    }
    return applied;
  }

  /** Applies a decision unless the item left (or re-entered: a new attempt) the state it was judged in. */
  private async apply(uow: UnitOfWork, decision: WatchdogDecision, stateEnteredAt: number): Promise<boolean> {
    const item = await this.items.get(uow.tx, decision.workItemId);
    if (!item || item.state !== decision.state || item.stateEnteredAt.getTime() !== stateEnteredAt)
      return false;
    if (decision.to === null) {
      // A re-send: only `merged` has one (marking the tracker issue done, then done).
      const touched = await this.items.update(uow.tx, item, { redrivenAt: uow.now });
      await this.workItems.complete(uow, touched, ACTOR);
      return true;
    }
    const outcome: RunOutcome = decision.action === 'time_out' ? 'timed_out' : 'infra_error';
    const run = await this.launcher.stopActiveRun(uow, item, outcome, decision.reason);
    if (decision.action === 'retry' && decision.retry) {
      await this.transitions.move(uow, item, 'queued', decision.reason, {
        actor: ACTOR,
        runId: run?.id ?? null,
        changes: { notBefore: decision.retry.notBefore },
      });
    } else {
      await this.transitions.move(uow, item, decision.to, decision.reason, {
        actor: ACTOR,
        runId: run?.id ?? null,
      });
    }
    return true;
  }
}
