import { Injectable } from '@nestjs/common';
import {
  runFinished,
  runProgress,
  runStarted,
  sandboxArtifactRecorded,
  sandboxBudgetReached,
  sandboxModelUsage,
  sandboxSnapshotBuilt,
  sandboxStateChanged,
} from '@horizon/contracts';
import type { EnvelopeOf } from '@horizon/contracts';
import { HandleMessage, MessageConsumer } from '@horizon/messaging';
import type { MessageContext } from '@horizon/messaging';
import { BudgetPolicy, BudgetWaits } from '../application/budgets';
import { ModelUsageLedger } from '../application/model-usage.service';
import { ReviewStation } from '../application/review-station';
import { RunLauncher } from '../application/run-launcher';
import { RunLifecycleService } from '../application/run-lifecycle.service';
import { ScheduleConfigSync } from '../application/schedule-config-sync';
import { Transactor } from '../application/unit-of-work';
import { applyOnce } from './apply-once';

export const RUN_EVENTS_CONSUMER = 'orchestrator-runs';
export const SANDBOX_EVENTS_CONSUMER = 'orchestrator-sandboxes';

/** What sandbox-manager reports about runs (`hzn.evt.run.*`); the orchestrator's own `run.started` is acked unread. */
@MessageConsumer({ durable: RUN_EVENTS_CONSUMER, stream: 'EVT', ignore: [runStarted] })
@Injectable()
export class RunEventsConsumer {
  constructor(
    private readonly transactor: Transactor,
    private readonly lifecycle: RunLifecycleService,
  ) {}

  @HandleMessage(runProgress)
  progress(env: EnvelopeOf<typeof runProgress>, ctx: MessageContext) {
    return applyOnce(this.transactor, RUN_EVENTS_CONSUMER, env, (uow) =>
      this.lifecycle.progress(uow, env.data, ctx.logger),
    );
  }

  @HandleMessage(runFinished)
  finished(env: EnvelopeOf<typeof runFinished>, ctx: MessageContext) {
    return applyOnce(this.transactor, RUN_EVENTS_CONSUMER, env, (uow) =>
      this.lifecycle.finished(uow, env.data, ctx.logger),
    );
  }
}

/**
 * Sandbox facts (`hzn.evt.sandbox.*`): a sandbox that failed takes its run with it; a run's kept
 * files and model usage are recorded with it; a snapshot at a repository's HEAD brings its
 * declared schedules, review settings and budgets; a run held at its budget makes its item wait.
 */
@MessageConsumer({ durable: SANDBOX_EVENTS_CONSUMER, stream: 'EVT' })
@Injectable()
export class SandboxEventsConsumer {
  constructor(
    private readonly transactor: Transactor,
    private readonly lifecycle: RunLifecycleService,
    private readonly scheduleSync: ScheduleConfigSync,
    private readonly reviews: ReviewStation,
    private readonly usage: ModelUsageLedger,
    private readonly budgets: BudgetPolicy,
    private readonly waits: BudgetWaits,
    private readonly launcher: RunLauncher,
  ) {}

  @HandleMessage(sandboxSnapshotBuilt)
  snapshotBuilt(env: EnvelopeOf<typeof sandboxSnapshotBuilt>, ctx: MessageContext) {
    return applyOnce(this.transactor, SANDBOX_EVENTS_CONSUMER, env, async (uow) => {
      await this.reviews.settingsDeclared(uow, env.data);
      await this.budgets.declared(uow, env.data);
      await this.launcher.agentSettingsDeclared(uow, env.data);
      await this.scheduleSync.apply(uow, env.data, ctx.logger);
    });
  }

  @HandleMessage(sandboxBudgetReached)
  budgetReached(env: EnvelopeOf<typeof sandboxBudgetReached>, ctx: MessageContext) {
    return applyOnce(this.transactor, SANDBOX_EVENTS_CONSUMER, env, (uow) =>
      this.waits.reached(uow, env.data, ctx.logger),
    );
  }

  @HandleMessage(sandboxStateChanged)
  stateChanged(env: EnvelopeOf<typeof sandboxStateChanged>, ctx: MessageContext) {
    return applyOnce(this.transactor, SANDBOX_EVENTS_CONSUMER, env, (uow) =>
      this.lifecycle.sandboxChanged(uow, env.data, ctx.logger),
    );
  }

  @HandleMessage(sandboxArtifactRecorded)
  artifactRecorded(env: EnvelopeOf<typeof sandboxArtifactRecorded>, ctx: MessageContext) {
    return applyOnce(this.transactor, SANDBOX_EVENTS_CONSUMER, env, (uow) =>
      this.lifecycle.artifactRecorded(uow, env.data, ctx.logger),
    );
  }

  @HandleMessage(sandboxModelUsage)
  modelUsage(env: EnvelopeOf<typeof sandboxModelUsage>, ctx: MessageContext) {
    return applyOnce(this.transactor, SANDBOX_EVENTS_CONSUMER, env, (uow) =>
      this.usage.record(uow, env.data, ctx.logger),
    );
  }
}
