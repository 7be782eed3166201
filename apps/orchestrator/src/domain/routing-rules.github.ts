import { IngressDataOf, IngressEvent, IngressSubject } from './ingress-event';
import { GithubRepository, PullRequestTarget, ReviewTarget } from './routing-decision';
import { ignore, must, on, pullRequestKey, RoutingContext, RoutingRule } from './routing-rule';

/** Whether `text` addresses `handle` as a word (`@horizon,` yes; `@horizon-ops` or `me@horizon.dev` no). */
export function mentions(text: string | null, handle: string): boolean {
  if (!text) return false;
  const escaped = handle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w@.-])${escaped}(?![\\w-])`, 'i').test(text);
}

type PullRequestData = {
  repository: GithubRepository | null;
  installationId: number | null;
  delivery: { source: string };
};
type PullRequestEventData = IngressDataOf<'hzn.ingress.github.pull_request'>;

export const forgeOf = (data: { delivery: { source: string } }): 'github' | 'local' =>
  data.delivery.source === 'local' ? 'local' : 'github';
/** `headRef` is null for events that do not carry it (PR conversation comments). */
type PullRef = { number: number; headRef: string | null; htmlUrl: string };

/** The PR as Horizon's, by its branch prefix or the lookup; null when it is someone else's. */
function horizonPullRequest(
  data: PullRequestData,
  pr: PullRef,
  context: RoutingContext,
): PullRequestTarget | null {
  if (!data.repository) return null;
  const known = context.knownPullRequests.get(pullRequestKey(data.repository.fullName, pr.number));
  const branch = known?.branch ?? (pr.headRef?.startsWith(context.branchPrefix) ? pr.headRef : null);
  if (branch === null) return null;
  return {
    repository: data.repository,
    installationId: data.installationId,
    forge: forgeOf(data),
    number: pr.number,
    branch,
    htmlUrl: pr.htmlUrl,
    workItemId: known?.workItemId ?? null,
  };
}

/** An issue_comment carries no head branch: only the lookup can tell whether the PR is Horizon's. */
function horizonPullRequestOfComment(
  data: IngressDataOf<'hzn.ingress.github.issue_comment'>,
  context: RoutingContext,
): PullRequestTarget | null {
  if (!data.issue.isPullRequest) return null;
  return horizonPullRequest(
    data,
    { number: data.issue.number, headRef: null, htmlUrl: data.issue.htmlUrl },
    context,
  );
}

const feedbackSubjects: readonly IngressSubject[] = [
  'hzn.ingress.github.pull_request_review',
  'hzn.ingress.github.pull_request_review_comment',
  'hzn.ingress.github.issue_comment',
];

/** A PR event or PR comment on a pull request Horizon did not open. */
function isForeignPullRequestEvent(event: IngressEvent, context: RoutingContext): boolean {
  if (event.subject === 'hzn.ingress.github.issue_comment') {
    return event.data.issue.isPullRequest && horizonPullRequestOfComment(event.data, context) === null;
  }
  return (
    'pullRequest' in event.data && horizonPullRequest(event.data, event.data.pullRequest, context) === null
  );
}

function githubSender(event: IngressEvent): string | null {
  return 'sender' in event.data ? (event.data.sender?.login ?? null) : null;
}

/** A new or pushed-to pull request: what the agent review station reads. */
const opensOrMoves = (data: PullRequestEventData) =>
  data.action === 'opened' || data.action === 'synchronize';

function reviewTarget(data: PullRequestEventData, horizon: PullRequestTarget | null): ReviewTarget | null {
  if (!data.repository) return null;
  const pr = data.pullRequest;
  return {
    repository: data.repository,
    installationId: data.installationId,
    forge: forgeOf(data),
    number: pr.number,
    author: pr.author,
    headRef: pr.headRef,
    headSha: pr.headSha,
    baseRef: pr.baseRef,
    htmlUrl: pr.htmlUrl,
    horizon: horizon && { workItemId: horizon.workItemId },
  };
}

/** A person's PR in a repository whose `.horizon/config.yaml` says `review.humanPullRequests: true`. */
function reviewableHumanPullRequest(data: PullRequestEventData, context: RoutingContext): boolean {
  return (
    opensOrMoves(data) &&
    data.repository !== null &&
    (context.reviewHumanPullRequests?.has(data.repository.fullName) ?? false) &&
    horizonPullRequest(data, data.pullRequest, context) === null
  );
}

/**
 * Loop guards and the agent review of people's pull requests, which must be read before the
 * guard that ignores every PR Horizon did not open.
 */
export const githubGuardRules: readonly RoutingRule[] = [
  {
    name: 'ignore-own-github-feedback',
    matches: (event, context) =>
      feedbackSubjects.includes(event.subject) && githubSender(event) === context.botLogin,
    decide: () => ignore('written by Horizon itself'),
  },
  on('hzn.ingress.github.pull_request', 'review-human-pr', reviewableHumanPullRequest, (data) => ({
    type: 'start_review',
    pullRequest: must(reviewTarget(data, null), 'review-human-pr'),
  })),
  {
    name: 'ignore-foreign-pull-requests',
    matches: isForeignPullRequestEvent,
    decide: () => ignore('not a Horizon pull request'),
  },
];

const agentReviewOff = (data: PullRequestEventData, context: RoutingContext) =>
  data.repository !== null && (context.agentReviewOff?.has(data.repository.fullName) ?? false);

export const githubRules: readonly RoutingRule[] = [
  on(
    'hzn.ingress.github.pull_request',
    'horizon-pr-review-off',
    (data, context) =>
      opensOrMoves(data) &&
      agentReviewOff(data, context) &&
      horizonPullRequest(data, data.pullRequest, context) !== null,
    () => ignore('the agent review is off in this repository (review.enabled: false)'),
  ),
  on(
    'hzn.ingress.github.pull_request',
    'review-horizon-pr',
    (data, context) => opensOrMoves(data) && horizonPullRequest(data, data.pullRequest, context) !== null,
    (data, context) => ({
      type: 'start_review',
      pullRequest: must(
        reviewTarget(data, horizonPullRequest(data, data.pullRequest, context)),
        'review-horizon-pr',
      ),
    }),
  ),
  on(
    'hzn.ingress.github.pull_request',
    'horizon-pr-merged',
    (data, context) =>
      data.action === 'closed' &&
      data.pullRequest.merged &&
      horizonPullRequest(data, data.pullRequest, context) !== null,
    (data, context) => ({
      type: 'mark_merged',
      pullRequest: must(horizonPullRequest(data, data.pullRequest, context), 'horizon-pr-merged'),
      mergedBy: data.pullRequest.mergedBy,
    }),
  ),
  on(
    'hzn.ingress.github.pull_request',
    'horizon-pr-closed-unmerged',
    (data, context) =>
      data.action === 'closed' &&
      !data.pullRequest.merged &&
      horizonPullRequest(data, data.pullRequest, context) !== null,
    (data, context) => ({
      type: 'cancel',
      pullRequest: must(horizonPullRequest(data, data.pullRequest, context), 'horizon-pr-closed-unmerged'),
      reason: `pull request closed without merging by ${data.sender?.login ?? 'unknown'}`,
    }),
  ),
  on(
    'hzn.ingress.github.pull_request_review',
    'horizon-pr-changes-requested',
    (data, context) =>
      (data.review.state === 'changes_requested' ||
        (data.review.state !== 'dismissed' && mentions(data.review.body, context.mentionHandle))) &&
      horizonPullRequest(data, data.pullRequest, context) !== null,
    (data, context) => ({
      type: 'start_revise_run',
      pullRequest: must(horizonPullRequest(data, data.pullRequest, context), 'horizon-pr-changes-requested'),
      feedback: { kind: 'review', review: data.review },
      requestedBy: data.review.author,
    }),
  ),
  on(
    'hzn.ingress.github.pull_request_review_comment',
    'horizon-pr-review-comment-mention',
    (data, context) =>
      mentions(data.comment.body, context.mentionHandle) &&
      horizonPullRequest(data, data.pullRequest, context) !== null,
    (data, context) => ({
      type: 'start_revise_run',
      pullRequest: must(
        horizonPullRequest(data, data.pullRequest, context),
        'horizon-pr-review-comment-mention',
      ),
      feedback: { kind: 'review_comment', comment: data.comment },
      requestedBy: data.comment.author,
    }),
  ),
  on(
    'hzn.ingress.github.issue_comment',
    'horizon-pr-comment-mention',
    (data, context) =>
      mentions(data.comment.body, context.mentionHandle) &&
      horizonPullRequestOfComment(data, context) !== null,
    (data, context) => ({
      type: 'start_revise_run',
      pullRequest: must(horizonPullRequestOfComment(data, context), 'horizon-pr-comment-mention'),
      feedback: { kind: 'issue_comment', comment: data.comment },
      requestedBy: data.comment.author,
    }),
  ),
];
