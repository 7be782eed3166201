import { Inject, Injectable } from '@nestjs/common';
import type { Envelope, EnvelopeOf } from '@horizon/contracts';
import {
  forgeOpenPullRequest,
  notifyDeliver,
  runFinished,
  runProgress,
  workItemCreated,
  workItemStateChanged,
} from '@horizon/contracts';
import { HandleMessage, MessageConsumer, Outcome } from '@horizon/messaging';
import type { HandlerOutcome, MessageContext } from '@horizon/messaging';
import { onRunFinished, onRunProgress, onStateChanged, onWorkItemCreated, Route } from './compose';
import { Deliverer } from './deliverer';
import { RouteStore } from './delivery-store';
import { PullRequestDelivery } from './forge/pull-request-delivery';

/** Deliveries a run event waits for its work item's route before it gives up reporting. */
const ROUTE_WAIT_DELIVERIES = 3;

/** Commands addressed to the notifier: deliver exactly this message. */
@Injectable()
@MessageConsumer({ durable: 'notifier-deliver', stream: 'CMD', filterSubject: 'hzn.cmd.notify.>' })
export class NotifyCommandConsumer {
  constructor(@Inject(Deliverer) private readonly deliverer: Deliverer) {}

  @HandleMessage(notifyDeliver)
  deliver(env: EnvelopeOf<typeof notifyDeliver>, ctx: MessageContext): Promise<HandlerOutcome> {
    return this.deliverer.deliver(env.data, ctx.logger);
  }
}

/**
 * Commands to the forge. A second consumer on CMD: NATS 2.9 gives a consumer one filter, and a
 * work-queue stream refuses consumers whose filters overlap, so `hzn.cmd.notify.>` cannot widen.
 */
@Injectable()
@MessageConsumer({ durable: 'notifier-forge', stream: 'CMD', filterSubject: 'hzn.cmd.forge.>' })
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

/** Facts: work-item and run events become messages wherever the work item came from. */
@Injectable()
@MessageConsumer({ durable: 'notifier-events', stream: 'EVT', filterSubject: 'hzn.evt.>' })
export class LifecycleEventConsumer {
  constructor(
    @Inject(Deliverer) private readonly deliverer: Deliverer,
    @Inject(RouteStore) private readonly routes: RouteStore,
  ) {}

  @HandleMessage(workItemCreated)
  async created(env: EnvelopeOf<typeof workItemCreated>, ctx: MessageContext): Promise<HandlerOutcome> {
    const route = await this.routes.upsert(env.data.workItemId, {
      title: env.data.title,
      sourceRefs: env.data.sourceRefs,
    });
    return this.deliverer.deliverAll(onWorkItemCreated(env.id, env.data, route), ctx.logger);
  }

  @HandleMessage(workItemStateChanged)
  async stateChanged(
    env: EnvelopeOf<typeof workItemStateChanged>,
    ctx: MessageContext,
  ): Promise<HandlerOutcome> {
    const route = await this.routes.upsert(env.data.workItemId, { sourceRefs: env.data.sourceRefs });
    return this.deliverer.deliverAll(onStateChanged(env.id, env.data, route), ctx.logger);
  }

  @HandleMessage(runProgress)
  async progress(env: EnvelopeOf<typeof runProgress>, ctx: MessageContext): Promise<HandlerOutcome> {
    return this.withRoute(env, env.data.workItemId, ctx, (route) =>
      this.deliverer.deliverAll(onRunProgress(env.data, route), ctx.logger),
    );
  }

  @HandleMessage(runFinished)
  async finished(env: EnvelopeOf<typeof runFinished>, ctx: MessageContext): Promise<HandlerOutcome> {
    const { outcome, durationMs, verification, reason } = env.data;
    if (!(await this.routes.get(env.data.workItemId))) return this.waitForRoute(env, ctx);
    const route = await this.routes.upsert(env.data.workItemId, {
      lastRun: { outcome, durationMs, verification, reason },
    });
    return this.deliverer.deliverAll(onRunFinished(env.data, route), ctx.logger);
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
