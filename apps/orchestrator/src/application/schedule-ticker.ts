import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { envelopeFor, scheduleFired, scheduleFlavourSchema } from '@horizon/contracts';
import { LOGGER } from '@horizon/observability';
import type { Logger } from '@horizon/observability';
import { CronTicks, InvalidScheduleError } from '../domain';
import { ScheduleRepository, ScheduleRow } from '../persistence/schedule.repository';
import { ORCHESTRATOR_CONFIG } from '../settings';
import type { OrchestratorConfig } from '../settings';
import { Transactor, UnitOfWork } from './unit-of-work';

/** Schedules fired per transaction; a sweep repeats until none is due. */
const BATCH = 50;

/**
 * Fires schedules whose tick has come, on a timer, in every replica. Each due schedule is
 * fired in one transaction that locks it (`FOR UPDATE SKIP LOCKED`), records the firing under
 * the key (schedule, tick), moves its next tick past now and puts `hzn.ingress.schedule.fired`
 * in the outbox: two replicas racing, or a process dying mid-firing, fire a tick once. Ticks
 * missed while no replica ran are fired once, for the latest of them (`CronTicks.due`).
 */
@Injectable()
export class ScheduleTicker implements OnApplicationBootstrap, OnApplicationShutdown {
  /** This process, as firings record who fired them. */
  readonly instance = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private sweep: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly schedules: ScheduleRepository,
    private readonly transactor: Transactor,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'schedule-ticker' });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweep = this.sweep
        .then(() => this.fireDue())
        .catch((err) => this.logger.error({ err }, 'schedule sweep failed; the next one retries'));
    }, this.config.SCHEDULE_POLL_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweep;
  }

  /** Fires what is due at `now`; returns how many ticks this replica fired. */
  async fireDue(now = new Date()): Promise<number> {
    let fired = 0;
    for (;;) {
      const result = await this.transactor.run(null, null, async (uow) => {
        const due = await this.schedules.lockDue(uow.tx, now, BATCH);
        let count = 0;
        for (const schedule of due) if (await this.fire(uow, schedule, now)) count += 1;
        return { seen: due.length, count };
      });
      if (!result.applied) return fired;
      fired += result.value.count;
      if (result.value.seen < BATCH) return fired;
    }
  }

  private async fire(uow: UnitOfWork, schedule: ScheduleRow, now: Date): Promise<boolean> {
    let ticks: CronTicks;
    try {
      ticks = new CronTicks(schedule.cron, schedule.timezone);
    } catch (err) {
      if (!(err instanceof InvalidScheduleError)) throw err;
      // Stored schedules were checked when made; one the parser now refuses is paused, not retried forever.
      this.logger.error(
        { scheduleId: schedule.id, reason: err.message },
        'schedule paused: it no longer parses',
      );
      await this.schedules.update(uow.tx, schedule.id, { paused: true, nextTickAt: null });
      return false;
    }
    const due = ticks.due(schedule.nextTickAt as Date, now);
    if (!due) return false;
    await this.schedules.update(uow.tx, schedule.id, { nextTickAt: due.nextTickAt });
    const workItemId = randomUUID();
    const recorded = await this.schedules.recordFiring(uow.tx, {
      scheduleId: schedule.id,
      tickAt: due.tickAt,
      firedAt: now,
      skippedTicks: due.skippedTicks,
      workItemId,
      firedBy: this.instance,
    });
    if (!recorded) return false;
    const tickAt = due.tickAt.toISOString();
    const deliveryId = `${schedule.id}:${tickAt}`;
    uow.envelopes.push(
      envelopeFor(
        scheduleFired,
        {
          delivery: {
            source: 'schedule',
            deliveryId,
            event: 'schedule_fired',
            action: null,
            receivedAt: now.toISOString(),
          },
          scheduleId: schedule.id,
          name: schedule.name,
          repo: schedule.repo,
          origin: schedule.origin as 'config' | 'api',
          tickAt,
          skippedTicks: due.skippedTicks,
          workItemId,
          title: schedule.title,
          prompt: schedule.prompt,
          flavour: scheduleFlavourSchema.parse(schedule.flavour),
          ownerId: schedule.ownerId,
        },
        { source: 'orchestrator', id: `schedule:${deliveryId}` },
      ),
    );
    this.logger.info(
      { scheduleId: schedule.id, tickAt, skippedTicks: due.skippedTicks, workItemId },
      'schedule fired',
    );
    return true;
  }
}
