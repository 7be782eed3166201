import { Inject, Injectable } from '@nestjs/common';
import {
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

    const reviewHumanPullRequests = new Set<string>();
    if (pr && (await this.reviewSettings.of(uow.tx, pr.repo)).humanPullRequests)
      reviewHumanPullRequests.add(pr.repo);

    return {
      reviewHumanPullRequests,
      botLogin: this.config.GITHUB_BOT_LOGIN,
      mentionHandle: this.config.GITHUB_MENTION_HANDLE,
      branchPrefix: this.config.HORIZON_BRANCH_PREFIX,
      linearAppUserId: this.config.LINEAR_APP_USER_ID,
      slackBotUserId: this.config.SLACK_BOT_USER_ID,
      activeThreadRuns,
      knownPullRequests,
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
  return null;
}
