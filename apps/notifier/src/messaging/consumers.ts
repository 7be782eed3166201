import { Inject, Injectable } from '@nestjs/common';
import type { Envelope, EnvelopeOf } from '@horizon/contracts';
import {
  forgeOpenPullRequest,
  notifyDeliver,
  runFinished,
  runProgress,
  runStarted,
  sandboxArtifactRecorded,
  sandboxModelUsage,
  sandboxSnapshotBuilt,
  sandboxStateChanged,
  trackerCreatePlannedIssues,
  workItemCreated,
  workItemFollowUp,
  workItemPlanProposed,
  workItemStateChanged,
} from '@horizon/contracts';
import { HandleMessage, MessageConsumer, Outcome } from '@horizon/messaging';
import type { HandlerOutcome, MessageContext } from '@horizon/messaging';
import { onRunFinished, onRunProgress, onStateChanged, onWorkItemCreated, Route } from '../domain/compose';
import { Deliverer } from '../application/deliverer';
import { RouteStore } from '../persistence/delivery-store';
import { PullRequestDelivery } from '../application/pull-requests/pull-request-delivery';
import { OwnerDirectory } from '../application/owners/owner-directory';
import {
  isWorkItemId,
  mergedBlockerOf,
  startedByItself,
  startedNotice,
} from '../application/owners/started-notice';
import { PlannedIssuesDelivery } from '../application/tracker/planned-issues-delivery';

/** Deliveries a run event waits for its work item's route before it gives up reporting. */
const ROUTE_WAIT_DELIVERIES = 3;

/** Commands addressed to the notifier: deliver exactly this message. */
@Injectable()
@MessageConsumer({ durable: 'notifier-deliver', stream: 'CMD' })
export class NotifyCommandConsumer {
  constructor(@Inject(Deliverer) private readonly deliverer: Deliverer) {}

  @HandleMessage(notifyDeliver)
  deliver(env: EnvelopeOf<typeof notifyDeliver>, ctx: MessageContext): Promise<HandlerOutcome> {
    return this.deliverer.deliver(env.data, ctx.logger);
  }
}

/**
 * Commands to the forge. A second consumer on CMD: NATS 2.9 gives a consumer one filter, and a
 * work-queue stream refuses consumers whose filters overlap, so `notifier-deliver` cannot widen.
 */
@Injectable()
@MessageConsumer({ durable: 'notifier-forge', stream: 'CMD' })
export class ForgeCommandConsumer {
  constructor(@Inject(PullRequestDelivery) private readonly pullRequests: PullRequestDelivery) {}

  @HandleMessage(forgeOpenPullRequest)
  openPullRequest(
    env: EnvelopeOf<typeof forgeOpenPullRequest>,
    ctx: MessageContext,
  ): Promise<HandlerOutcome> {
    return this.pullRequests.open(env.data, ctx.logger);
  }
}

/**
 * Commands to the issue tracker (a plan's issues). A third consumer on CMD, for the same reason
 * as `notifier-forge`. A command takes one call per issue and relation: more deliveries than
 * the default, since each rate limit spends one and each delivery carries on where the last stopped.
 */
@Injectable()
@MessageConsumer({
  durable: 'notifier-tracker',
  stream: 'CMD',
  maxDeliver: 10,
})
export class TrackerCommandConsumer {
  constructor(@Inject(PlannedIssuesDelivery) private readonly plannedIssues: PlannedIssuesDelivery) {}

  @HandleMessage(trackerCreatePlannedIssues)
  createPlannedIssues(
    env: EnvelopeOf<typeof trackerCreatePlannedIssues>,
    ctx: MessageContext,
  ): Promise<HandlerOutcome> {
    return this.plannedIssues.create(env.data, ctx.logger, () => ctx.working());
  }
}

/** Facts: work-item and run events become messages wherever the work item came from; the rest are no news to people. */
@Injectable()
@MessageConsumer({
  durable: 'notifier-events',
  stream: 'EVT',
  // A console draft's proposal is for the console; the plan item's `done` is what people hear of.
  ignore: [
    runStarted,
    sandboxStateChanged,
    sandboxSnapshotBuilt,
    sandboxArtifactRecorded,
    sandboxModelUsage,
    workItemFollowUp,
    workItemPlanProposed,
  ],
})
export class LifecycleEventConsumer {
  constructor(
    @Inject(Deliverer) private readonly deliverer: Deliverer,
    @Inject(RouteStore) private readonly routes: RouteStore,
    @Inject(OwnerDirectory) private readonly owners: OwnerDirectory,
  ) {}

  @HandleMessage(workItemCreated)
  async created(env: EnvelopeOf<typeof workItemCreated>, ctx: MessageContext): Promise<HandlerOutcome> {
    const route = await this.routes.upsert(env.data.workItemId, {
      title: env.data.title,
      sourceRefs: env.data.sourceRefs,
      ownerId: env.data.ownerId,
    });
    return this.deliverer.deliverAll(onWorkItemCreated(env.id, env.data, route), ctx.logger, ctx.streamSeq);
  }

  @HandleMessage(workItemStateChanged)
  async stateChanged(
    env: EnvelopeOf<typeof workItemStateChanged>,
    ctx: MessageContext,
  ): Promise<HandlerOutcome> {
    const route = await this.routes.upsert(env.data.workItemId, { sourceRefs: env.data.sourceRefs });
    const outcome = await this.deliverer.deliverAll(
      onStateChanged(env.id, env.data, route),
      ctx.logger,
      ctx.streamSeq,
    );
    if (outcome.kind !== 'ack' || !startedByItself(env.data)) return outcome;
    return this.tellOwner(env, route, ctx);
  }

  /** A work item started by itself: its owner hears it in Slack, wherever the item came from. */
  private async tellOwner(
    env: EnvelopeOf<typeof workItemStateChanged>,
    route: Route,
    ctx: MessageContext,
  ): Promise<HandlerOutcome> {
    if (!route.ownerId || !this.deliverer.configured('slack')) return Outcome.ack();
    let slackUser: string | null;
    try {
      slackUser = await this.owners.slackUserOf(route.ownerId);
    } catch (err) {
      return Outcome.retry(`owner of ${route.workItemId}: ${(err as Error).message}`);
    }
    if (!slackUser) {
      ctx.logger.info({ ownerId: route.ownerId }, 'owner has no linked Slack account: not told');
      return Outcome.ack();
    }
    const blocker = mergedBlockerOf(env.data.cause);
    const blockerTitle =
      blocker && isWorkItemId(blocker) ? ((await this.routes.get(blocker))?.title ?? undefined) : blocker;
    const notice = startedNotice(env.id, env.data, route, slackUser, blockerTitle);
    return this.deliverer.deliver(notice, ctx.logger);
  }

  @HandleMessage(runProgress)
  async progress(env: EnvelopeOf<typeof runProgress>, ctx: MessageContext): Promise<HandlerOutcome> {
    return this.withRoute(env, env.data.workItemId, ctx, (route) =>
      this.deliverer.deliverAll(onRunProgress(env.data, route), ctx.logger, ctx.streamSeq),
    );
  }

  @HandleMessage(runFinished)
  async finished(env: EnvelopeOf<typeof runFinished>, ctx: MessageContext): Promise<HandlerOutcome> {
    const { outcome, durationMs, verification, reason } = env.data;
    if (!(await this.routes.get(env.data.workItemId))) return this.waitForRoute(env, ctx);
    const route = await this.routes.upsert(env.data.workItemId, {
      lastRun: { outcome, durationMs, verification, reason },
    });
    return this.deliverer.deliverAll(onRunFinished(env.data, route), ctx.logger, ctx.streamSeq);
  }

  private async withRoute(
    env: Envelope,
    workItemId: string,
    ctx: MessageContext,
    then: (r: Route) => Promise<HandlerOutcome>,
  ) {
    const route = await this.routes.get(workItemId);
    return route ? then(route) : this.waitForRoute(env, ctx);
  }

  /** Run events carry only ids: until the work item's own events arrive, there is nowhere to report. */
  private waitForRoute(env: Envelope, ctx: MessageContext): HandlerOutcome {
    if (ctx.deliveryCount < ROUTE_WAIT_DELIVERIES)
      return Outcome.retry('work item route not known yet', 1000);
    ctx.logger.info({ subject: env.subject }, 'no route for this work item; nothing to report');
    return Outcome.ack();
  }
}
