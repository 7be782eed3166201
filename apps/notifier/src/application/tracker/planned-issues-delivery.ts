import type { TrackerCreatePlannedIssuesData } from '@horizon/contracts';
import { TrackerCallError } from '@horizon/integrations-linear';
import type { TrackerIssue, TrackerPort } from '@horizon/integrations-linear';
import { HandlerOutcome, Outcome } from '@horizon/messaging';
import type { Logger } from '@horizon/observability';
import { idFor } from '../channels';
import { failureOutcome } from '../deliverer';
import type { Deliverer } from '../deliverer';
import type { DeliveryStore } from '../../persistence/delivery-store';
import {
  createdResponse,
  creatingActivity,
  IssuePlan,
  PlannedIssue,
  plannedKeys,
  planIssues,
  readyState,
} from './planned-issues';

/** Where the new issues go: the plan's team and project, and the team's ready state. */
interface Placement {
  teamId: string;
  projectId?: string;
  stateId?: string;
}

/**
 * Carries out `hzn.cmd.tracker.create_planned_issues`: an `action` activity on the plan's
 * session, each issue (under its work item's id), one `blocks` relation per blocker, then a
 * `response` listing what was created. Every step has its delivery record, claimed before the
 * tracker is called, so a redelivered command skips what is done; a step re-claimed after a
 * crash first asks the tracker whether its issue or relation exists (their ids are fixed), and a
 * create the tracker refuses is looked up by id before it counts as a failure.
 */
export class PlannedIssuesDelivery {
  constructor(
    private readonly store: DeliveryStore,
    private readonly deliverer: Deliverer,
    /** Null when Linear is not configured on this notifier. */
    private readonly tracker: TrackerPort | null,
  ) {}

  async create(
    cmd: TrackerCreatePlannedIssuesData,
    logger: Logger,
    working: () => void = () => undefined,
  ): Promise<HandlerOutcome> {
    const planned = planIssues(cmd);
    if (!planned.ok) return Outcome.reject(`plan ${cmd.planWorkItemId}: ${planned.reason}`);
    if (!this.tracker)
      return Outcome.reject('linear is not configured on this notifier (set LINEAR_ACCESS_TOKEN)');
    const tracker = this.tracker;
    const { plan } = planned;
    const session = cmd.agentSessionId;
    if (session) {
      const shown = await this.deliverer.deliver(creatingActivity(cmd, session, plan), logger);
      // A session Linear refuses (ended, deleted) must not keep the issues from being created.
      if (shown.kind === 'retry') return shown;
      if (shown.kind === 'reject')
        logger.warn({ reason: shown.reason }, 'creating issues without the activity');
    }

    const created = new Map<string, TrackerIssue>();
    const made = await this.createIssues(tracker, cmd, plan, created, logger, working);
    if (made.kind !== 'ack') return made;
    const related = await this.relateIssues(tracker, plan, logger, working);
    if (related.kind !== 'ack') return related;
    logger.info(
      { planWorkItemId: cmd.planWorkItemId, issues: plan.ordered.length, relations: plan.relations.length },
      'planned issues are in the tracker',
    );
    return session ? this.respond(tracker, cmd, session, plan, created, logger) : Outcome.ack();
  }

  private async createIssues(
    tracker: TrackerPort,
    cmd: TrackerCreatePlannedIssuesData,
    plan: IssuePlan,
    created: Map<string, TrackerIssue>,
    logger: Logger,
    working: () => void,
  ): Promise<HandlerOutcome> {
    let placement: Promise<Placement> | undefined;
    for (const issue of plan.ordered) {
      working();
      const key = plannedKeys.issue(issue.workItemId);
      const outcome = await this.step(key, { teamId: cmd.teamId }, logger, async (attempts) => {
        placement ??= this.placement(tracker, cmd, logger);
        const made = await this.createIssue(tracker, issue, await placement, attempts);
        created.set(issue.workItemId, made);
        return made.identifier;
      });
      if (outcome.kind !== 'ack') return outcome;
    }
    return Outcome.ack();
  }

  private async relateIssues(
    tracker: TrackerPort,
    plan: IssuePlan,
    logger: Logger,
    working: () => void,
  ): Promise<HandlerOutcome> {
    for (const { blocker, blocked } of plan.relations) {
      working();
      const key = plannedKeys.blocks(blocker.workItemId, blocked.workItemId);
      const target = { blocker: blocker.workItemId, blocked: blocked.workItemId };
      const outcome = await this.step(key, target, logger, (attempts) =>
        this.relate(tracker, key, blocker.workItemId, blocked.workItemId, attempts),
      );
      if (outcome.kind !== 'ack') return outcome;
    }
    return Outcome.ack();
  }

  /** The response on the session; issues an earlier delivery created are read back to name them. */
  private async respond(
    tracker: TrackerPort,
    cmd: TrackerCreatePlannedIssuesData,
    session: string,
    plan: IssuePlan,
    created: Map<string, TrackerIssue>,
    logger: Logger,
  ): Promise<HandlerOutcome> {
    const dedupeKey = plannedKeys.created(cmd.planWorkItemId);
    if (await this.store.settled(dedupeKey)) return Outcome.ack();
    try {
      for (const planned of plan.ordered) {
        if (created.has(planned.workItemId)) continue;
        const issue = await tracker.findIssue(planned.workItemId);
        if (!issue)
          throw new TrackerCallError(
            `issue ${planned.workItemId} is recorded as created but is not in Linear`,
            false,
          );
        created.set(planned.workItemId, issue);
      }
    } catch (err) {
      return failureOutcome(this.store, { channel: 'linear', dedupeKey }, err, logger, {
        keepRetryable: true,
      });
    }
    return this.deliverer.deliver(createdResponse(cmd, session, plan, created), logger);
  }

  /**
   * One recorded step: claimed first, `act` called with the attempt number, recorded as
   * delivered with what it returns. A refusal stays retryable: replaying the dead-lettered
   * command after fixing the cause (a permission, a team) carries on where it stopped.
   */
  private async step(
    dedupeKey: string,
    target: Record<string, string>,
    logger: Logger,
    act: (attempts: number) => Promise<string>,
  ): Promise<HandlerOutcome> {
    const claim = await this.store.claim({ dedupeKey, channel: 'linear', target });
    if (claim.kind === 'done') return Outcome.ack();
    if (claim.kind === 'busy') return Outcome.retry(`delivery ${dedupeKey} is in progress elsewhere`, 1000);
    try {
      const externalId = await act(claim.attempts);
      await this.store.delivered(dedupeKey, externalId);
      logger.debug({ dedupeKey, externalId, attempts: claim.attempts }, 'tracker step done');
      return Outcome.ack();
    } catch (err) {
      return failureOutcome(this.store, { channel: 'linear', dedupeKey }, err, logger, {
        keepRetryable: true,
      });
    }
  }

  /** The plan issue's project when the command names none, and the team's ready state. */
  private async placement(
    tracker: TrackerPort,
    cmd: TrackerCreatePlannedIssuesData,
    logger: Logger,
  ): Promise<Placement> {
    const [states, planIssue] = await Promise.all([
      tracker.workflowStates(cmd.teamId),
      cmd.projectId || !cmd.planIssueId ? null : tracker.findIssue(cmd.planIssueId),
    ]);
    if (!cmd.projectId && cmd.planIssueId && !planIssue)
      logger.warn(
        { planIssueId: cmd.planIssueId },
        'plan issue not found: the planned issues get no project',
      );
    const projectId = cmd.projectId ?? planIssue?.projectId ?? undefined;
    const stateId = readyState(states)?.id;
    return { teamId: cmd.teamId, ...(projectId ? { projectId } : {}), ...(stateId ? { stateId } : {}) };
  }

  private async createIssue(
    tracker: TrackerPort,
    issue: PlannedIssue,
    placement: Placement,
    attempts: number,
  ): Promise<TrackerIssue> {
    if (attempts > 1) {
      const existing = await tracker.findIssue(issue.workItemId);
      if (existing) return existing;
    }
    try {
      return await tracker.createIssue({
        id: issue.workItemId,
        ...placement,
        title: issue.title,
        description: issue.description,
      });
    } catch (err) {
      // Linear refuses an id it already holds: the issue is there, made by an earlier attempt.
      if (err instanceof TrackerCallError && err.permanent) {
        const existing = await tracker.findIssue(issue.workItemId);
        if (existing) return existing;
      }
      throw err;
    }
  }

  private async relate(
    tracker: TrackerPort,
    dedupeKey: string,
    blockerId: string,
    blockedId: string,
    attempts: number,
  ): Promise<string> {
    const id = idFor(dedupeKey);
    if (attempts > 1 && (await tracker.issueRelationExists(id))) return id;
    try {
      await tracker.addBlocksRelation(blockerId, blockedId, id);
    } catch (err) {
      if (!(err instanceof TrackerCallError && err.permanent && (await tracker.issueRelationExists(id))))
        throw err;
    }
    return id;
  }
}
