import { IngressDataOf } from './ingress-event';
import { FailingCheck, PullRequestTarget } from './routing-decision';
import { must, on, pullRequestKey, RoutingContext, RoutingRule } from './routing-rule';

type CheckData = IngressDataOf<'hzn.ingress.github.check'>;
type CommentData = IngressDataOf<'hzn.ingress.github.issue_comment'>;
type ConflictData = IngressDataOf<'hzn.ingress.github.merge_conflict'>;
type PullData = IngressDataOf<'hzn.ingress.github.pull_request'>;

/** A PR event's PR is Horizon's when the lookup knows it or its branch has the prefix. */
function horizonPullRequestOfEvent(
  data: ConflictData | PullData,
  context: RoutingContext,
): PullRequestTarget | null {
  if (!data.repository) return null;
  const pr = data.pullRequest;
  const known = context.knownPullRequests.get(pullRequestKey(data.repository.fullName, pr.number));
  const branch = known?.branch ?? (pr.headRef.startsWith(context.branchPrefix) ? pr.headRef : null);
  if (branch === null) return null;
  return {
    repository: data.repository,
    installationId: data.installationId,
    forge: data.delivery.source === 'local' ? 'local' : 'github',
    number: pr.number,
    branch,
    htmlUrl: pr.htmlUrl,
    workItemId: known?.workItemId ?? null,
  };
}

/**
 * The checks Horizon reports itself (the agent review's verdict, a run's verification, its
 * browser check): their failure is Horizon's own word on the PR, not CI's, and fixing it is the
 * review station's or the run's own fix rounds' job.
 */
export const horizonCheckNames: readonly string[] = [
  'Horizon review',
  'Horizon verification',
  'Horizon browser check',
];

/** Conclusions that mean CI failed (GitHub's check conclusions, and a commit status's `error`). */
const failingConclusions = ['failure', 'timed_out', 'startup_failure', 'error'];

const forgeOf = (data: CheckData): 'github' | 'local' =>
  data.delivery.source === 'local' ? 'local' : 'github';

/** A branch a check ran on, as the routing context keys the PR it belongs to. */
export function branchKey(repoFullName: string, branch: string): string {
  return `${repoFullName}@${branch}`;
}

/**
 * The Horizon PR a check ran on: by the PR numbers it carries, or (a commit status carries none)
 * by its branch; null when it is no PR of Horizon's the lookup knows or the prefix names.
 */
function horizonPullRequestOfCheck(data: CheckData, context: RoutingContext): PullRequestTarget | null {
  if (!data.repository) return null;
  const repo = data.repository.fullName;
  const numbered = data.check.pullRequestNumbers
    .map((number) => ({ number, known: context.knownPullRequests.get(pullRequestKey(repo, number)) }))
    .find((pr) => pr.known);
  const byBranch = data.check.headBranch
    ? context.pullRequestsByBranch?.get(branchKey(repo, data.check.headBranch))
    : undefined;
  const number = numbered?.number ?? byBranch?.number ?? data.check.pullRequestNumbers[0];
  const branch =
    numbered?.known?.branch ??
    byBranch?.branch ??
    (data.check.headBranch?.startsWith(context.branchPrefix) ? data.check.headBranch : null);
  if (number === undefined || branch === null) return null;
  return {
    repository: data.repository,
    installationId: data.installationId,
    forge: forgeOf(data),
    number,
    branch,
    htmlUrl: '',
    workItemId: numbered?.known?.workItemId ?? byBranch?.workItemId ?? null,
  };
}

function failingCheck(data: CheckData): FailingCheck | null {
  const { check } = data;
  if (check.status !== 'completed' || !failingConclusions.includes(check.conclusion ?? '')) return null;
  if (horizonCheckNames.includes(check.name ?? '')) return null;
  return {
    kind: check.kind,
    id: check.id,
    name: check.name ?? check.kind,
    conclusion: check.conclusion as string,
    headSha: check.headSha,
  };
}

/** The label that turns the CI station off for a pull request. */
export const NO_AUTOFIX_LABEL = 'horizon:no-autofix';

/** `@horizon <word>` in a PR's conversation, the word standing alone (`stopping` is not `stop`). */
function asksTo(word: 'stop' | 'resume', body: string, handle: string): boolean {
  const escaped = handle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w@.-])${escaped}\\s+${word}\\b`, 'i').test(body);
}

/** `@horizon stop` in a PR's conversation: no more fix runs on it. */
export const asksToStop = (body: string, handle: string): boolean => asksTo('stop', body, handle);

function horizonPullRequestOfComment(data: CommentData, context: RoutingContext): PullRequestTarget | null {
  if (!data.issue.isPullRequest || !data.repository) return null;
  const known = context.knownPullRequests.get(pullRequestKey(data.repository.fullName, data.issue.number));
  if (!known) return null;
  return {
    repository: data.repository,
    installationId: data.installationId,
    forge: data.delivery.source === 'local' ? 'local' : 'github',
    number: data.issue.number,
    branch: known.branch,
    htmlUrl: data.issue.htmlUrl,
    workItemId: known.workItemId,
  };
}

/**
 * The CI stations (docs/stations.md): a failing check on a Horizon PR starts a fix run, and
 * `@horizon stop` (or the `horizon:no-autofix` label) turns that off for the PR and `@horizon resume`
 * (or removing the label) back on; a merge that left a Horizon PR conflicting starts
 * a rebase run. The off switch is read before the mention rule,
 * which would otherwise take the comment for a request to revise.
 */
export const ciRules: readonly RoutingRule[] = [
  on(
    'hzn.ingress.github.issue_comment',
    'horizon-pr-stop-autofix',
    (data, context) =>
      asksToStop(data.comment.body, context.mentionHandle) &&
      horizonPullRequestOfComment(data, context) !== null,
    (data, context) => ({
      type: 'stop_autofix',
      pullRequest: must(horizonPullRequestOfComment(data, context), 'horizon-pr-stop-autofix'),
      requestedBy: data.comment.author,
    }),
  ),
  on(
    'hzn.ingress.github.issue_comment',
    'horizon-pr-resume-autofix',
    (data, context) =>
      asksTo('resume', data.comment.body, context.mentionHandle) &&
      horizonPullRequestOfComment(data, context) !== null,
    (data, context) => ({
      type: 'resume_autofix',
      pullRequest: must(horizonPullRequestOfComment(data, context), 'horizon-pr-resume-autofix'),
      requestedBy: data.comment.author,
    }),
  ),
  on(
    'hzn.ingress.github.pull_request',
    'horizon-pr-no-autofix-label',
    (data, context) =>
      data.action === 'labeled' &&
      data.label === NO_AUTOFIX_LABEL &&
      horizonPullRequestOfEvent(data, context) !== null,
    (data, context) => ({
      type: 'stop_autofix',
      pullRequest: must(horizonPullRequestOfEvent(data, context), 'horizon-pr-no-autofix-label'),
      requestedBy: data.sender?.login ?? 'unknown',
    }),
  ),
  on(
    'hzn.ingress.github.pull_request',
    'horizon-pr-no-autofix-label-removed',
    (data, context) =>
      data.action === 'unlabeled' &&
      data.label === NO_AUTOFIX_LABEL &&
      horizonPullRequestOfEvent(data, context) !== null,
    (data, context) => ({
      type: 'resume_autofix',
      pullRequest: must(horizonPullRequestOfEvent(data, context), 'horizon-pr-no-autofix-label-removed'),
      requestedBy: data.sender?.login ?? 'unknown',
    }),
  ),
  on(
    'hzn.ingress.github.merge_conflict',
    'horizon-pr-conflicted',
    (data, context) => horizonPullRequestOfEvent(data, context) !== null,
    (data, context) => ({
      type: 'start_rebase_run',
      pullRequest: must(horizonPullRequestOfEvent(data, context), 'horizon-pr-conflicted'),
      baseRef: data.pullRequest.baseRef,
      headSha: data.pullRequest.headSha,
      mergedNumber: data.mergedNumber,
      reason: data.reason,
    }),
  ),
  on(
    'hzn.ingress.github.check',
    'horizon-pr-check-failed',
    (data, context) => failingCheck(data) !== null && horizonPullRequestOfCheck(data, context) !== null,
    (data, context) => ({
      type: 'start_fix_run',
      pullRequest: must(horizonPullRequestOfCheck(data, context), 'horizon-pr-check-failed'),
      check: must(failingCheck(data), 'horizon-pr-check-failed'),
    }),
  ),
];
