import { IngressDataOf, IngressEvent, IngressSubject } from './ingress-event';
import { GithubRepository, PullRequestTarget, RoutingDecision, SlackThreadRef } from './routing-decision';

/** A pull request Horizon is known to have opened, as the caller's lookup tells it. */
export interface KnownPullRequest {
  readonly branch: string;
  readonly workItemId: string;
}

/** Everything routing knows beyond the event itself; the caller reads it from config and Postgres. */
export interface RoutingContext {
  /** The GitHub App's bot login (`horizon[bot]`): its own comments and reviews never trigger runs. */
  readonly botLogin: string;
  /** How humans call the bot in GitHub comments. */
  readonly mentionHandle: string;
  /** Head branches Horizon creates start with this. */
  readonly branchPrefix: string;
  /** Horizon's Linear app user: delegation to it starts work; its own changes start nothing. */
  readonly linearAppUserId: string;
  /** The bot's Slack user id: a thread reply that mentions it also arrives as an app_mention. */
  readonly slackBotUserId: string;
  /** Slack threads with a run in flight, as `threadKey` names them. */
  readonly activeThreadRuns: ReadonlySet<string>;
  /** Horizon's pull requests by `pullRequestKey`, for events that do not carry the head branch. */
  readonly knownPullRequests: ReadonlyMap<string, KnownPullRequest>;
}

export const routingDefaults = { mentionHandle: '@horizon', branchPrefix: 'horizon/' } as const;

export function threadKey(thread: SlackThreadRef): string {
  return `${thread.teamId}/${thread.channel}/${thread.threadTs}`;
}

export function pullRequestKey(repoFullName: string, number: number): string {
  return `${repoFullName}#${number}`;
}

/** One row of the table: when it applies, and what it decides. */
export interface RoutingRule {
  readonly name: string;
  readonly matches: (event: IngressEvent, context: RoutingContext) => boolean;
  readonly decide: (event: IngressEvent, context: RoutingContext) => RoutingDecision;
}

export interface RoutingOutcome {
  /** The rule that decided, for logs and the audit trail. */
  readonly rule: string;
  readonly decision: RoutingDecision;
}

/** A rule for one subject, its functions typed by that subject's data. */
function on<S extends IngressSubject>(
  subject: S,
  name: string,
  matches: (data: IngressDataOf<S>, context: RoutingContext) => boolean,
  decide: (data: IngressDataOf<S>, context: RoutingContext) => RoutingDecision,
): RoutingRule {
  const dataOf = (event: IngressEvent) => event.data as IngressDataOf<S>;
  return {
    name,
    matches: (event, context) => event.subject === subject && matches(dataOf(event), context),
    decide: (event, context) => decide(dataOf(event), context),
  };
}

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

function must<T>(value: T | null, rule: string): T {
  if (value === null) throw new Error(`routing rule ${rule} decided on an event it does not match`);
  return value;
}

const ignore = (reason: string): RoutingDecision => ({ type: 'ignore', reason });

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

/**
 * The routing table, read top to bottom; the first rule that matches decides. Ignoring rules
 * come first where they guard against loops (Horizon reacting to its own comments and updates).
 */
export const routingRules: readonly RoutingRule[] = [
  {
    name: 'ignore-own-github-feedback',
    matches: (event, context) =>
      feedbackSubjects.includes(event.subject) && githubSender(event) === context.botLogin,
    decide: () => ignore('written by Horizon itself'),
  },
  on(
    'hzn.ingress.linear.issue',
    'ignore-own-linear-changes',
    (data, context) => data.actorId === context.linearAppUserId,
    () => ignore('changed by Horizon itself'),
  ),
  {
    name: 'ignore-foreign-pull-requests',
    matches: isForeignPullRequestEvent,
    decide: () => ignore('not a Horizon pull request'),
  },

  on(
    'hzn.ingress.linear.agent_session',
    'linear-session-created',
    (data) => data.action === 'created',
    (data) => ({
      type: 'start_plan_run',
      organizationId: data.organizationId,
      agentSessionId: data.agentSessionId,
      issue: data.issue,
      creatorId: data.creatorId,
    }),
  ),
  on(
    'hzn.ingress.linear.agent_session',
    'linear-session-prompted',
    (data) => data.action === 'prompted',
    (data) => ({
      type: 'continue_session',
      organizationId: data.organizationId,
      agentSessionId: data.agentSessionId,
      prompt: data.prompt,
      issue: data.issue,
    }),
  ),
  on(
    'hzn.ingress.linear.issue',
    'linear-issue-delegated-to-horizon',
    (data, context) =>
      data.changes.delegate !== undefined &&
      data.changes.delegate.toId === context.linearAppUserId &&
      data.changes.delegate.fromId !== context.linearAppUserId,
    (data) => ({
      type: 'start_implement_run',
      organizationId: data.organizationId,
      issue: data.issue,
      trigger: 'delegated',
      actorId: data.actorId,
    }),
  ),
  on(
    'hzn.ingress.linear.issue',
    'linear-issue-started',
    (data) =>
      data.action === 'update' &&
      data.changes.state !== undefined &&
      data.changes.state.fromId !== data.changes.state.toId &&
      data.issue.stateType === 'started',
    (data) => ({
      type: 'start_implement_run',
      organizationId: data.organizationId,
      issue: data.issue,
      trigger: 'started',
      actorId: data.actorId,
    }),
  ),
  on(
    'hzn.ingress.linear.issue',
    'linear-issue-canceled',
    (data) =>
      data.action === 'update' &&
      data.changes.state !== undefined &&
      data.changes.state.fromId !== data.changes.state.toId &&
      data.issue.stateType === 'canceled',
    (data) => ({ type: 'cancel_tracker_issue', issue: data.issue, actorId: data.actorId }),
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

  on(
    'hzn.ingress.slack.app_mention',
    'slack-mention-in-active-thread',
    (data, context) => context.activeThreadRuns.has(threadKey(data.message)),
    (data) => ({ type: 'follow_up_prompt', thread: thread(data.message), message: data.message }),
  ),
  on(
    'hzn.ingress.slack.app_mention',
    'slack-mention',
    () => true,
    (data) => ({ type: 'start_thread_run', thread: thread(data.message), message: data.message }),
  ),
  on(
    'hzn.ingress.slack.thread_message',
    'slack-reply-mentioning-bot',
    (data, context) => data.message.text.includes(`<@${context.slackBotUserId}>`),
    () => ignore('the app_mention delivery of the same message is routed instead'),
  ),
  on(
    'hzn.ingress.slack.thread_message',
    'slack-reply-in-active-thread',
    (data, context) => context.activeThreadRuns.has(threadKey(data.message)),
    (data) => ({ type: 'follow_up_prompt', thread: thread(data.message), message: data.message }),
  ),

  on(
    'hzn.ingress.api.work_item_create',
    'api-create',
    () => true,
    (data) => ({ type: 'create_work_item', request: data }),
  ),
  on(
    'hzn.ingress.api.work_item_cancel',
    'api-cancel',
    () => true,
    (data) => ({
      type: 'cancel_work_item',
      workItemId: data.workItemId,
      reason: data.reason,
      requestedBy: data.requestedBy,
    }),
  ),
  on(
    'hzn.ingress.api.work_item_follow_up',
    'api-follow-up',
    () => true,
    (data) => ({
      type: 'follow_up_work_item',
      workItemId: data.workItemId,
      text: data.text,
      origin: data.origin,
      author: data.author,
    }),
  ),
  on(
    'hzn.ingress.api.work_item_retry',
    'api-retry',
    () => true,
    (data) => ({ type: 'retry_work_item', workItemId: data.workItemId, requestedBy: data.requestedBy }),
  ),

  on(
    'hzn.ingress.trigger.fired',
    'webhook-trigger-fired',
    () => true,
    (data) => ({ type: 'start_triggered_work', firing: data }),
  ),

  on(
    'hzn.ingress.schedule.fired',
    'schedule-tick',
    () => true,
    (data) => ({ type: 'start_scheduled_run', firing: data }),
  ),

  {
    name: 'nothing-to-do',
    matches: () => true,
    decide: (event) => ignore(`no rule acts on ${event.subject}${describeAction(event)}`),
  },
];

function thread(message: SlackThreadRef): SlackThreadRef {
  return { teamId: message.teamId, channel: message.channel, threadTs: message.threadTs };
}

function githubSender(event: IngressEvent): string | null {
  return 'sender' in event.data ? (event.data.sender?.login ?? null) : null;
}

function describeAction(event: IngressEvent): string {
  return event.data.delivery.action ? ` (${event.data.delivery.action})` : '';
}

/** Routes one event through a table (the default one unless given). The last default rule matches everything. */
export function route(
  event: IngressEvent,
  context: RoutingContext,
  rules: readonly RoutingRule[] = routingRules,
): RoutingOutcome {
  const rule = rules.find((candidate) => candidate.matches(event, context));
  if (!rule) return { rule: 'none', decision: ignore(`no rule matches ${event.subject}`) };
  return { rule: rule.name, decision: rule.decide(event, context) };
}
