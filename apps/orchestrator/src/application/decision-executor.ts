import { Injectable } from '@nestjs/common';
import type { Logger } from '@horizon/observability';
import { IngressEvent, RoutingDecision, route, terminalWorkItemStates, threadKey } from '../domain';
import { WorkItemRepository, WorkItemRow } from '../persistence/work-item.repository';
import { IntakeExecutor } from './intake-executor';
import { OrchestratorMetrics } from './metrics';
import { OwnerAnswers } from './owner-lookup';
import { PullRequestExecutor } from './pull-request-executor';
import { RoutingContextBuilder } from './routing-context.builder';
import { UnitOfWork } from './unit-of-work';
import { WorkItemService } from './work-item.service';
import { WorkItemRetry } from './work-item-retry';

/**
 * Routes one ingress event and carries out the decision, inside the handler's unit of work.
 * New work goes to `IntakeExecutor`, what happens on pull requests to `PullRequestExecutor`;
 * what acts on an existing item by its id, thread or session is done here.
 */
@Injectable()
export class DecisionExecutor {
  constructor(
    private readonly items: WorkItemRepository,
    private readonly workItems: WorkItemService,
    private readonly retries: WorkItemRetry,
    private readonly intake: IntakeExecutor,
    private readonly pullRequests: PullRequestExecutor,
    private readonly contexts: RoutingContextBuilder,
    private readonly metrics: OrchestratorMetrics,
  ) {}

  /** `owners` answers who owns a new item; a question it cannot answer yet rolls the transaction back (see owner-lookup.ts). */
  async handle(
    uow: UnitOfWork,
    event: IngressEvent,
    owners: OwnerAnswers,
    logger: Logger,
  ): Promise<RoutingDecision> {
    if (event.subject === 'hzn.ingress.github.pull_request')
      await this.pullRequests.linkPullRequest(uow, event.data);
    const { rule, decision } = route(event, await this.contexts.build(uow, event));
    logger.info({ rule, decision: decision.type }, 'routed');
    await this.execute(uow, decision, owners);
    this.metrics.decisions.inc({ decision: decision.type, rule });
    return decision;
  }

  private async execute(uow: UnitOfWork, decision: RoutingDecision, owners: OwnerAnswers): Promise<void> {
    switch (decision.type) {
      case 'create_work_item':
        return this.intake.create(uow, decision, owners);
      case 'start_triggered_work':
        return this.intake.startTriggered(uow, decision);
      case 'start_scheduled_run':
        return this.intake.startScheduled(uow, decision, owners);
      case 'start_plan_run':
        return this.intake.startPlan(uow, decision, owners);
      case 'start_implement_run':
        return this.intake.startImplement(uow, decision, owners);
      case 'start_thread_run':
        return this.intake.startThread(uow, decision, owners);
      case 'start_review':
      case 'start_revise_run':
      case 'mark_merged':
      case 'cancel':
        return this.pullRequests.execute(uow, decision);
      case 'cancel_work_item':
        return this.withItem(uow, decision.workItemId, decision.requestedBy, 'cancel', (item) =>
          this.workItems.cancel(uow, item, decision.reason, decision.requestedBy),
        );
      case 'follow_up_work_item':
        return this.withItem(
          uow,
          decision.workItemId,
          `${decision.origin}:${decision.author}`,
          'follow-up',
          (item) =>
            this.workItems.followUp(uow, item, decision.text, {
              origin: decision.origin,
              author: decision.author,
            }),
        );
      case 'retry_work_item':
        return this.withItem(uow, decision.workItemId, decision.requestedBy, 'retry', (item) =>
          this.retries.retry(uow, item, decision.requestedBy),
        );
      case 'cancel_tracker_issue': {
        const actor = `linear:${decision.actorId ?? 'unknown'}`;
        const item = await this.items.findByTrackerIssue(uow.tx, decision.issue.id);
        if (!item)
          return this.workItems.ignore(
            uow,
            null,
            actor,
            `no work item for Linear issue ${decision.issue.id}`,
          );
        return this.workItems.cancel(
          uow,
          item,
          `canceled in Linear (${decision.issue.stateName ?? 'canceled'})`,
          actor,
        );
      }
      case 'follow_up_prompt': {
        const item = await this.items.findActiveByThread(uow.tx, decision.thread, terminalWorkItemStates);
        if (!item)
          return this.workItems.ignore(uow, null, 'slack', `no run in thread ${threadKey(decision.thread)}`);
        return this.workItems.followUp(uow, item, decision.message.text, {
          origin: 'slack',
          author: decision.message.user,
        });
      }
      case 'continue_session': {
        const item = await this.items.findByAgentSession(uow.tx, decision.agentSessionId);
        if (!item)
          return this.workItems.ignore(
            uow,
            null,
            'linear',
            `no work item for agent session ${decision.agentSessionId}`,
          );
        return this.workItems.followUp(uow, item, decision.prompt ?? '', { origin: 'linear', author: null });
      }
      case 'ignore':
        return;
    }
  }

  private async withItem(
    uow: UnitOfWork,
    workItemId: string,
    actor: string,
    what: string,
    act: (item: WorkItemRow) => Promise<void>,
  ): Promise<void> {
    const item = await this.items.get(uow.tx, workItemId);
    if (!item) return this.workItems.ignore(uow, null, actor, `${what} of unknown work item ${workItemId}`);
    return act(item);
  }
}
