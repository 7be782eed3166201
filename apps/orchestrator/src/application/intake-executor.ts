import { Inject, Injectable } from '@nestjs/common';
import { notifyDeliver } from '@horizon/contracts';
import type { SourceRefs } from '@horizon/contracts';
import { RoutingDecision, labelsWithHarnessNamedIn, repoNamedIn, threadKey } from '../domain';
import { WorkItemRepository } from '../persistence/work-item.repository';
import { ORCHESTRATOR_CONFIG } from '../settings';
import type { OrchestratorConfig } from '../settings';
import { OwnerAnswers } from './owner-lookup';
import { RetroService } from './retro.service';
import { UnitOfWork } from './unit-of-work';
import { WorkItemService } from './work-item.service';

type Decision<T extends RoutingDecision['type']> = Extract<RoutingDecision, { type: T }>;

/**
 * New work: an API request, a webhook trigger, a schedule's tick, a Linear session or issue, a
 * Slack mention. Each records one work item (or finds the one it already recorded).
 */
/** The papercuts a scheduled retro reads: the week before its tick. */
const SCHEDULED_RETRO_SPAN_MS = 7 * 24 * 3_600_000;

@Injectable()
export class IntakeExecutor {
  constructor(
    private readonly items: WorkItemRepository,
    private readonly workItems: WorkItemService,
    private readonly retros: RetroService,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {}

  async create(
    uow: UnitOfWork,
    { request }: Decision<'create_work_item'>,
    owners: OwnerAnswers,
  ): Promise<void> {
    const existing = await this.items.get(uow.tx, request.workItemId);
    if (existing) return this.workItems.addBlockers(uow, existing, request.blockedBy, request.requestedBy);
    // An owner id that names no identity is not recorded.
    const ownerId = request.ownerId === null ? null : owners.identity(request.ownerId);
    await this.workItems.record(
      uow,
      {
        id: request.workItemId,
        kind: request.kind,
        repo: request.repo,
        title: request.title,
        description: request.description,
        priority: request.priority,
        labels: request.labels,
        autoStart: request.autoStart,
        ownerId,
        // Only a plan has a proposal to send back; on other kinds the field means nothing.
        sourceRefs:
          request.proposalFor && request.kind === 'plan'
            ? { consolePlanDraft: { id: request.proposalFor.consolePlanDraftId } }
            : {},
      },
      request.blockedBy,
      { by: 'policy' },
      request.requestedBy,
    );
  }

  /**
   * A webhook trigger's delivery: queued at once in the trigger's repository, unowned (nobody
   * asked; the trigger's creator set it up). The item id is derived from the delivery, so a
   * replayed delivery finds its item and starts nothing twice.
   */
  async startTriggered(uow: UnitOfWork, { firing }: Decision<'start_triggered_work'>): Promise<void> {
    const actor = `trigger:${firing.trigger.name}`;
    if (await this.items.get(uow.tx, firing.workItemId))
      return this.workItems.ignore(
        uow,
        null,
        actor,
        `delivery ${firing.delivery.deliveryId} of trigger ${firing.trigger.name} already started work item ${firing.workItemId}`,
      );
    await this.workItems.record(
      uow,
      {
        id: firing.workItemId,
        kind: firing.kind,
        repo: firing.repo,
        title: firing.title,
        description: firing.description,
        priority: 5,
        labels: firing.labels,
        autoStart: null,
        ownerId: null,
        sourceRefs: {
          webhookTrigger: {
            id: firing.trigger.id,
            name: firing.trigger.name,
            deliveryId: firing.delivery.deliveryId,
          },
        },
      },
      [],
      { by: 'request', cause: `webhook trigger ${firing.trigger.name} fired (${firing.delivery.event})` },
      actor,
    );
  }

  /** A schedule's tick: one work item, its id chosen when the firing was recorded. */
  async startScheduled(
    uow: UnitOfWork,
    { firing }: Decision<'start_scheduled_run'>,
    owners: OwnerAnswers,
  ): Promise<void> {
    if (await this.items.get(uow.tx, firing.workItemId)) return;
    const ownerId = firing.ownerId === null ? null : owners.identity(firing.ownerId);
    if (firing.flavour === 'retro') {
      const recorded = await this.retros.record(uow, {
        retroId: firing.workItemId,
        repo: firing.repo,
        since: new Date(Date.parse(firing.tickAt) - SCHEDULED_RETRO_SPAN_MS).toISOString(),
        ownerId,
        requestedBy: `schedule:${firing.name}`,
        focus: firing.prompt,
        labels: ['schedule'],
      });
      if ('nothing' in recorded)
        await this.workItems.ignore(uow, null, `schedule:${firing.name}`, recorded.nothing);
      return;
    }
    await this.workItems.record(
      uow,
      {
        id: firing.workItemId,
        kind: firing.flavour,
        repo: firing.repo,
        title: firing.title,
        description: firing.prompt,
        priority: 5,
        labels: ['schedule'],
        autoStart: true,
        ownerId,
        sourceRefs: { schedule: { id: firing.scheduleId, name: firing.name, tickAt: firing.tickAt } },
      },
      [],
      { by: 'policy' },
      `schedule:${firing.name}`,
    );
  }

  async startPlan(uow: UnitOfWork, d: Decision<'start_plan_run'>, owners: OwnerAnswers): Promise<void> {
    const actor = `linear:${d.creatorId ?? 'unknown'}`;
    if (await this.items.findByAgentSession(uow.tx, d.agentSessionId)) {
      return this.workItems.ignore(
        uow,
        null,
        actor,
        `agent session ${d.agentSessionId} already has a plan run`,
      );
    }
    const sourceRefs: SourceRefs = { linearAgentSession: { id: d.agentSessionId } };
    if (d.issue) sourceRefs.trackerIssue = this.trackerIssue(d.issue);
    await this.recordRequestedItem(uow, owners, {
      kind: 'plan',
      title: d.issue?.title ?? `Linear agent session ${d.agentSessionId}`,
      description: d.issue?.description ?? '',
      // Linear's context holds the issue and the words that asked for the agent.
      labels: labelsWithHarnessNamedIn(
        [],
        d.prompt ?? `${d.issue?.title ?? ''}\n${d.issue?.description ?? ''}`,
      ),
      repo: this.repoFor(d.issue?.teamId ?? null, d.issue?.description),
      sourceRefs,
      cause: 'a Linear agent session asked for a plan',
      actor,
      requester: d.creatorId ? { provider: 'linear', externalId: d.creatorId } : null,
    });
  }

  async startImplement(
    uow: UnitOfWork,
    d: Decision<'start_implement_run'>,
    owners: OwnerAnswers,
  ): Promise<void> {
    const actor = `linear:${d.actorId ?? 'unknown'}`;
    const cause =
      d.trigger === 'delegated' ? 'delegated to Horizon in Linear' : 'moved to a started state in Linear';
    const existing = await this.items.findByTrackerIssue(uow.tx, d.issue.id);
    if (existing) return this.workItems.start(uow, existing, cause, actor);
    await this.recordRequestedItem(uow, owners, {
      kind: 'implement',
      title: d.issue.title,
      description: d.issue.description ?? '',
      labels: labelsWithHarnessNamedIn(d.issue.labels, `${d.issue.title}\n${d.issue.description ?? ''}`),
      repo: this.repoFor(d.issue.teamId, d.issue.description),
      sourceRefs: { trackerIssue: this.trackerIssue(d.issue) },
      cause,
      actor,
      requester: d.actorId ? { provider: 'linear', externalId: d.actorId } : null,
    });
  }

  async startThread(uow: UnitOfWork, d: Decision<'start_thread_run'>, owners: OwnerAnswers): Promise<void> {
    const actor = `slack:${d.message.user}`;
    const repo = this.config.SLACK_CHANNEL_REPOS[d.thread.channel] ?? repoNamedIn(d.message.text);
    if (!repo) {
      uow.emit(notifyDeliver, {
        channel: 'slack',
        target: { ...d.thread },
        dedupeKey: `thread-needs-repo:${threadKey(d.thread)}:${d.message.ts}`,
        title: 'Which repository?',
        body: 'I do not know which repository this channel works on. Mention me again with `repo:owner/name`, or ask an admin to map this channel in SLACK_CHANNEL_REPOS.',
      });
      return this.workItems.ignore(uow, null, actor, `no repository for Slack channel ${d.thread.channel}`);
    }
    const text = d.message.text.replace(/<@[A-Z0-9]+>/g, '').trim();
    await this.recordRequestedItem(uow, owners, {
      kind: 'implement',
      title: text.slice(0, 120) || 'Slack request',
      description: d.message.text,
      labels: labelsWithHarnessNamedIn([], d.message.text),
      repo,
      sourceRefs: { slackThread: { ...d.thread } },
      cause: 'asked for in a Slack thread',
      actor,
      requester: { provider: 'slack', externalId: d.message.user },
    });
  }

  /**
   * Records an item a person asked for in Linear or Slack (not the API), queued at once; without a repo it fails,
   * saying why. The requester's linked identity owns it, so its PR is attributed to them; an
   * unlinked user leaves it unowned (the PR is opened as the app).
   */
  private async recordRequestedItem(
    uow: UnitOfWork,
    owners: OwnerAnswers,
    item: {
      kind: 'plan' | 'implement';
      title: string;
      description: string;
      labels: readonly string[];
      repo: string | null;
      sourceRefs: SourceRefs;
      cause: string;
      actor: string;
      requester: { provider: 'linear' | 'slack'; externalId: string } | null;
    },
  ): Promise<void> {
    const ownerId = item.requester
      ? owners.linkedTo(item.requester.provider, item.requester.externalId)
      : null;
    await this.workItems.record(
      uow,
      {
        id: crypto.randomUUID(),
        kind: item.kind,
        repo: item.repo ?? '',
        title: item.title,
        description: item.description,
        priority: 5,
        labels: item.labels,
        autoStart: null,
        ownerId,
        sourceRefs: item.sourceRefs,
      },
      [],
      item.repo
        ? { by: 'request', cause: item.cause }
        : {
            by: 'refusal',
            cause: 'no repository known: set LINEAR_TEAM_REPOS or DEFAULT_REPO, or write repo:owner/name',
          },
      item.actor,
    );
  }

  private repoFor(teamId: string | null, description: string | null | undefined): string | null {
    return (
      (teamId ? this.config.LINEAR_TEAM_REPOS[teamId] : undefined) ??
      repoNamedIn(description) ??
      this.config.DEFAULT_REPO ??
      null
    );
  }

  private trackerIssue(issue: {
    id: string;
    identifier: string | null;
    url: string | null;
    teamId: string | null;
  }) {
    return {
      provider: 'linear' as const,
      id: issue.id,
      ...(issue.identifier ? { identifier: issue.identifier } : {}),
      ...(issue.url ? { url: issue.url } : {}),
      ...(issue.teamId ? { teamId: issue.teamId } : {}),
    };
  }
}
