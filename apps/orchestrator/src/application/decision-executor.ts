import { Injectable } from '@nestjs/common';
import type { Logger } from '@horizon/observability';
import { IngressEvent, RoutingDecision, route, terminalWorkItemStates, threadKey } from '../domain';
import { slackAnswerRefusal } from '../domain/budget';
import { WorkItemRepository, WorkItemRow } from '../persistence/work-item.repository';
import { BudgetWaits } from './budgets';
import { FixStation } from './fix-station';
import { IntakeExecutor } from './intake-executor';
import { RebaseStation } from './rebase-station';
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
    private readonly budgets: BudgetWaits,
    private readonly intake: IntakeExecutor,
    private readonly pullRequests: PullRequestExecutor,
    private readonly fixes: FixStation,
    private readonly rebases: RebaseStation,
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
    if (decision.type === 'mark_merged' && event.subject === 'hzn.ingress.github.pull_request')
      await this.rebases.checkRivalsAfterMerge(uow, event.data, decision.pullRequest);
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
      case 'start_fix_run':
      case 'stop_autofix':
      case 'resume_autofix':
        return this.fixes.execute(uow, decision);
      case 'start_rebase_run':
        return this.rebases.start(uow, decision);
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
      case 'start_work_item':
        return this.withItem(uow, decision.workItemId, decision.requestedBy, 'start', (item) =>
          this.workItems.start(
            uow,
            item,
            `started through the API by ${decision.requestedBy}`,
            decision.requestedBy,
          ),
        );
      case 'answer_budget':
        return this.withItem(uow, decision.workItemId, decision.requestedBy, 'budget answer', (item) =>
          this.answerBudget(uow, item, decision, owners),
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

  /** A refused answer changes nothing and is audited with why; one from Slack counts only from the item's owner. */
  private async answerBudget(
    uow: UnitOfWork,
    item: WorkItemRow,
    decision: Extract<RoutingDecision, { type: 'answer_budget' }>,
    owners: OwnerAnswers,
  ): Promise<void> {
    const { action, extra, requestedBy, fromOwnerOnly, holdSince } = decision;
    const refusal = fromOwnerOnly
      ? slackAnswerRefusal(
          item.ownerId,
          owners.linkedTo(fromOwnerOnly.provider, fromOwnerOnly.externalId),
          requestedBy,
        )
      : null;
    const outcome = refusal
      ? { applied: false as const, reason: refusal }
      : await this.budgets.answer(uow, item, action, extra, requestedBy, holdSince ?? null);
    if (!outcome.applied)
      await this.workItems.ignore(
        uow,
        item,
        requestedBy,
        `budget answer (${action}) refused: ${outcome.reason}`,
      );
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
