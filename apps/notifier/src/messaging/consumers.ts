import { Inject, Injectable } from '@nestjs/common';
import type { Envelope, EnvelopeOf } from '@horizon/contracts';
import {
  fleetCreated,
  fleetFinished,
  fleetProgressed,
  forgeFindMergeConflicts,
  forgeOpenPullRequest,
  forgeUpdateFleetLinks,
  notifyDeliver,
  runFinished,
  runProgress,
  runStarted,
  sandboxArtifactRecorded,
  sandboxBudgetReached,
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
import type { Notification } from '../domain/compose';
import type { ContinueExtra } from '../domain/compose-budget';
import { Deliverer } from '../application/deliverer';
import { RouteStore } from '../persistence/delivery-store';
import { PullRequestDelivery } from '../application/pull-requests/pull-request-delivery';
import { FleetLinksDelivery } from '../application/pull-requests/fleet-links';
import { MergeConflictFinder } from '../application/pull-requests/merge-conflicts';
import { OwnerDirectory } from '../application/owners/owner-directory';
import {
  handedBack,
  handedBackNotice,
  isWorkItemId,
  mergedBlockerOf,
  startedByItself,
  startedNotice,
} from '../application/owners/started-notice';
import { PlannedIssuesDelivery } from '../application/tracker/planned-issues-delivery';
import { BrowserEvidenceLinks } from '../application/browser-evidence';

/**
 * Deliveries a run event waits for its work item's route before it gives up reporting. The
 * item's `created` is handled beside it (the consumer takes several messages at once), so on a
 * busy host it can come seconds later: the waits double from 1 s up to 8 s, about 30 s in all.
 */
const ROUTE_WAIT_DELIVERIES = 6;
const routeWaitMs = (delivery: number) => Math.min(1000 * 2 ** (delivery - 1), 8000);

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
  constructor(
    @Inject(PullRequestDelivery) private readonly pullRequests: PullRequestDelivery,
    @Inject(FleetLinksDelivery) private readonly fleetLinks: FleetLinksDelivery,
    @Inject(MergeConflictFinder) private readonly mergeConflicts: MergeConflictFinder,
    @Inject(BrowserEvidenceLinks) private readonly browser: BrowserEvidenceLinks,
  ) {}

  @HandleMessage(forgeOpenPullRequest)
  async openPullRequest(
    env: EnvelopeOf<typeof forgeOpenPullRequest>,
    ctx: MessageContext,
  ): Promise<HandlerOutcome> {
    const browser = await this.browser.section(env.data.runId, env.data.browser, ctx.deliveryCount);
    if (!browser.ready) return browser.retry;
    return this.pullRequests.open(env.data, ctx.logger, browser.markdown);
  }

  @HandleMessage(forgeUpdateFleetLinks)
  updateFleetLinks(
    env: EnvelopeOf<typeof forgeUpdateFleetLinks>,
    ctx: MessageContext,
  ): Promise<HandlerOutcome> {
    return this.fleetLinks.update(env.data, ctx.logger);
  }

  @HandleMessage(forgeFindMergeConflicts)
  findMergeConflicts(
    env: EnvelopeOf<typeof forgeFindMergeConflicts>,
    ctx: MessageContext,
  ): Promise<HandlerOutcome> {
    return this.mergeConflicts.find(env.data, env, ctx.logger);
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

/** What the budget question's Continue button grants (`BUDGET_CONTINUE_EXTRA_*`). */
export const CONTINUE_EXTRA = Symbol('CONTINUE_EXTRA');

/** Facts: work-item and run events become messages wherever the work item came from; the rest are no news to people. */
@Injectable()
@MessageConsumer({
  durable: 'notifier-events',
  stream: 'EVT',
  // Room for the route waits (ROUTE_WAIT_DELIVERIES) and a delivery's own retries after them.
  maxDeliver: ROUTE_WAIT_DELIVERIES + 4,
  // A console draft's proposal is for the console; the plan item's `done` is what people hear of.
  ignore: [
    runStarted,
    sandboxStateChanged,
    sandboxSnapshotBuilt,
    sandboxModelUsage,
    // The item's `waiting` state change is what its owner hears of.
    sandboxBudgetReached,
    workItemFollowUp,
    workItemPlanProposed,
    // A fleet reaches people through its children's PRs and the CLI/API; its own events are for watchers.
    fleetCreated,
    fleetProgressed,
    fleetFinished,
  ],
})
export class LifecycleEventConsumer {
  constructor(
    @Inject(Deliverer) private readonly deliverer: Deliverer,
    @Inject(RouteStore) private readonly routes: RouteStore,
    @Inject(OwnerDirectory) private readonly owners: OwnerDirectory,
    @Inject(CONTINUE_EXTRA) private readonly continueExtra: ContinueExtra,
    @Inject(BrowserEvidenceLinks) private readonly browser: BrowserEvidenceLinks,
  ) {}

  /** A run's screenshots and diffs, for the links of its PR summary. */
  @HandleMessage(sandboxArtifactRecorded)
  async artifactRecorded(env: EnvelopeOf<typeof sandboxArtifactRecorded>): Promise<void> {
    await this.browser.record(env.data);
  }

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
      onStateChanged(env.id, env.data, route, this.continueExtra),
      ctx.logger,
      ctx.streamSeq,
    );
    if (outcome.kind !== 'ack' || !startedByItself(env.data)) return outcome;
    return this.tellOwner(route, ctx, async (slackUser) => {
      const blocker = mergedBlockerOf(env.data.cause);
      const blockerTitle =
        blocker && isWorkItemId(blocker) ? ((await this.routes.get(blocker))?.title ?? undefined) : blocker;
      return startedNotice(env.id, env.data, route, slackUser, blockerTitle);
    });
  }

  /**
   * What nobody asked to see happen, said to the owner in Slack wherever the item came from: it
   * started by itself, or a run on its PR ended without pushing and the PR is theirs again.
   */
  private async tellOwner(
    route: Route,
    ctx: MessageContext,
    notice: (slackUser: string) => Promise<Notification> | Notification,
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
    return this.deliverer.deliver(await notice(slackUser), ctx.logger);
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
    const known = await this.routes.get(env.data.workItemId);
    if (!known) return this.waitForRoute(env, ctx);
    // Only a revise run's PR comment shows the browser check (an implement run's is in its PR body).
    const browser = known.sourceRefs.pullRequest
      ? await this.browser.section(env.data.runId, env.data.browser, ctx.deliveryCount)
      : { ready: true as const, markdown: undefined };
    if (!browser.ready) return browser.retry;
    const route = await this.routes.upsert(env.data.workItemId, {
      lastRun: { outcome, durationMs, verification, reason },
    });
    const delivered = await this.deliverer.deliverAll(
      onRunFinished(env.data, route, browser.markdown),
      ctx.logger,
      ctx.streamSeq,
    );
    if (!handedBack(env.data, route)) return delivered;
    // The owner hears it even when the PR comment could not be posted (then the event is retried
    // or dead-lettered for the comment's sake; the DM is keyed by the run and not sent twice).
    const told = await this.tellOwner(route, ctx, (slackUser) =>
      handedBackNotice(env.data, route, slackUser),
    );
    return delivered.kind !== 'ack' ? delivered : told;
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
      return Outcome.retry('work item route not known yet', routeWaitMs(ctx.deliveryCount));
    ctx.logger.info({ subject: env.subject }, 'no route for this work item; nothing to report');
    return Outcome.ack();
  }
}
