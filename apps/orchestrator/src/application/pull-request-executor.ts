import { Inject, Injectable } from '@nestjs/common';
import { IngressDataOf, PullRequestTarget, ReviseFeedback, RoutingDecision, forgeOf } from '../domain';
import { WorkItemRepository, WorkItemRow } from '../persistence/work-item.repository';
import { ORCHESTRATOR_CONFIG } from '../settings';
import type { OrchestratorConfig } from '../settings';
import { ReviewStation } from './review-station';
import { UnitOfWork } from './unit-of-work';
import { WorkItemService } from './work-item.service';
import { pullRequestRef } from './work-item-transitions';

type PullRequestDecision = Extract<
  RoutingDecision,
  { type: 'start_revise_run' | 'mark_merged' | 'cancel' | 'start_review' }
>;

function feedbackText(feedback: ReviseFeedback): string {
  switch (feedback.kind) {
    case 'review':
      return feedback.review.body?.trim() || `Review by ${feedback.review.author}: changes requested.`;
    case 'review_comment':
      return `${feedback.comment.path}${feedback.comment.line !== null ? `:${feedback.comment.line}` : ''}: ${feedback.comment.body}`;
    case 'issue_comment':
      return feedback.comment.body;
  }
}

/** What happens on a pull request: reviews asked for, revisions, merges and closes. */
@Injectable()
export class PullRequestExecutor {
  constructor(
    private readonly items: WorkItemRepository,
    private readonly workItems: WorkItemService,
    private readonly reviews: ReviewStation,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {}

  async execute(uow: UnitOfWork, decision: PullRequestDecision): Promise<void> {
    switch (decision.type) {
      case 'start_review':
        return this.reviews.start(uow, decision.pullRequest);
      case 'start_revise_run':
        return this.withPullRequestItem(uow, decision.pullRequest, decision.requestedBy, (item) =>
          this.workItems.revise(
            uow,
            item,
            pullRequestRef(decision.pullRequest),
            feedbackText(decision.feedback),
            `github:${decision.requestedBy}`,
          ),
        );
      case 'mark_merged': {
        const actor = `github:${decision.mergedBy ?? 'unknown'}`;
        return this.withPullRequestItem(uow, decision.pullRequest, actor, (item) =>
          this.workItems.merge(uow, item, decision.pullRequest, actor),
        );
      }
      case 'cancel':
        return this.withPullRequestItem(uow, decision.pullRequest, 'github', (item) =>
          this.workItems.cancel(uow, item, decision.reason, 'github'),
        );
    }
  }

  /** A Horizon branch's PR was opened or updated: remember its number on the item. */
  async linkPullRequest(
    uow: UnitOfWork,
    data: IngressDataOf<'hzn.ingress.github.pull_request'>,
  ): Promise<void> {
    const { repository, pullRequest } = data;
    if (!repository || !pullRequest.headRef.startsWith(this.config.HORIZON_BRANCH_PREFIX)) return;
    const item = await this.items.findByPullRequest(
      uow.tx,
      repository.fullName,
      pullRequest.number,
      pullRequest.headRef,
    );
    if (!item) return;
    await this.workItems.linkPullRequest(uow, item, {
      repository,
      installationId: data.installationId,
      forge: forgeOf(data),
      number: pullRequest.number,
      branch: pullRequest.headRef,
      htmlUrl: pullRequest.htmlUrl,
      workItemId: item.id,
    });
  }

  private async withPullRequestItem(
    uow: UnitOfWork,
    pr: PullRequestTarget,
    actor: string,
    act: (item: WorkItemRow) => Promise<void>,
  ): Promise<void> {
    const item = await this.items.ofPullRequest(uow.tx, pr);
    if (!item)
      return this.workItems.ignore(
        uow,
        null,
        actor,
        `no work item for ${pr.repository.fullName}#${pr.number}`,
      );
    return act(item);
  }
}
