import { Inject, Injectable } from '@nestjs/common';
import {
  branchKey,
  IngressEvent,
  KnownPullRequest,
  RoutingContext,
  pullRequestKey,
  terminalWorkItemStates,
  threadKey,
} from '../domain';
import { ReviewSettingsRepository } from '../persistence/review-settings.repository';
import { WorkItemRepository } from '../persistence/work-item.repository';
import { ORCHESTRATOR_CONFIG } from '../settings';
import type { OrchestratorConfig } from '../settings';
import { UnitOfWork } from './unit-of-work';
import { sourceRefsOf } from './work-item-transitions';

/**
 * Builds what routing needs besides the event: the config, and only the lookups this event can
 * use (its Slack thread, its pull request), read in the handler's transaction.
 */
@Injectable()
export class RoutingContextBuilder {
  constructor(
    private readonly items: WorkItemRepository,
    private readonly reviewSettings: ReviewSettingsRepository,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {}

  async build(uow: UnitOfWork, event: IngressEvent): Promise<RoutingContext> {
    const activeThreadRuns = new Set<string>();
    const knownPullRequests = new Map<string, KnownPullRequest>();

    if (
      event.subject === 'hzn.ingress.slack.app_mention' ||
      event.subject === 'hzn.ingress.slack.thread_message'
    ) {
      const item = await this.items.findActiveByThread(uow.tx, event.data.message, terminalWorkItemStates);
      if (item) activeThreadRuns.add(threadKey(event.data.message));
    }
    const pr = pullRequestOf(event);
    if (pr) {
      const item = await this.items.findByPullRequest(uow.tx, pr.repo, pr.number, null);
      if (item?.branch)
        knownPullRequests.set(pullRequestKey(pr.repo, pr.number), {
          branch: item.branch,
          workItemId: item.id,
        });
    }

    const pullRequestsByBranch = new Map<string, KnownPullRequest & { number: number }>();
    const statusBranch = branchOfStatus(event);
    if (statusBranch) {
      const item = await this.items.findByPullRequest(uow.tx, statusBranch.repo, -1, statusBranch.branch);
      const number = item ? sourceRefsOf(item).pullRequest?.number : undefined;
      if (item?.branch && number !== undefined)
        pullRequestsByBranch.set(branchKey(statusBranch.repo, statusBranch.branch), {
          branch: item.branch,
          workItemId: item.id,
          number,
        });
    }

    const reviewHumanPullRequests = new Set<string>();
    const agentReviewOff = new Set<string>();
    const review = pr ? await this.reviewSettings.of(uow.tx, pr.repo) : undefined;
    if (pr && review && !review.enabled) agentReviewOff.add(pr.repo);
    else if (pr && review?.humanPullRequests) reviewHumanPullRequests.add(pr.repo);

    return {
      reviewHumanPullRequests,
      agentReviewOff,
      botLogin: this.config.GITHUB_BOT_LOGIN,
      mentionHandle: this.config.GITHUB_MENTION_HANDLE,
      branchPrefix: this.config.HORIZON_BRANCH_PREFIX,
      linearAppUserId: this.config.LINEAR_APP_USER_ID,
      slackBotUserId: this.config.SLACK_BOT_USER_ID,
      activeThreadRuns,
      knownPullRequests,
      pullRequestsByBranch,
    };
  }
}

/** The pull request a GitHub event is about, by repository and number. */
export function pullRequestOf(event: IngressEvent): { repo: string; number: number } | null {
  if (!('installationId' in event.data) || !event.data.repository) return null;
  const repo = event.data.repository.fullName;
  if ('pullRequest' in event.data) return { repo, number: event.data.pullRequest.number };
  if ('issue' in event.data && event.data.issue.isPullRequest)
    return { repo, number: event.data.issue.number };
  const checked = 'check' in event.data ? event.data.check.pullRequestNumbers[0] : undefined;
  if (checked !== undefined) return { repo, number: checked };
  return null;
}

/** A check that names no pull request (a commit status): the branch it ran on. */
function branchOfStatus(event: IngressEvent): { repo: string; branch: string } | null {
  if (event.subject !== 'hzn.ingress.github.check' || !event.data.repository) return null;
  const { check } = event.data;
  if (check.pullRequestNumbers.length > 0 || !check.headBranch) return null;
  return { repo: event.data.repository.fullName, branch: check.headBranch };
}
