import { IngressDataOf, IngressEvent, IngressSubject } from './ingress-event';
import { RoutingDecision, SlackThreadRef } from './routing-decision';

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
  /**
   * Repositories (`owner/name`) whose `.horizon/config.yaml` opts people's pull requests into
   * the agent review (`review.humanPullRequests`). Absent: none.
   */
  readonly reviewHumanPullRequests?: ReadonlySet<string>;
  /** Repositories whose `.horizon/config.yaml` turns the agent review off (`review.enabled: false`). */
  readonly agentReviewOff?: ReadonlySet<string>;
  /**
   * Horizon's pull requests by `branchKey` (`owner/name@branch`), for a commit status, which
   * names branches but no pull request. Absent: none.
   */
  readonly pullRequestsByBranch?: ReadonlyMap<string, KnownPullRequest & { readonly number: number }>;
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

/** A rule for one subject, its functions typed by that subject's data. */
export function on<S extends IngressSubject>(
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

export const ignore = (reason: string): RoutingDecision => ({ type: 'ignore', reason });

export function must<T>(value: T | null, rule: string): T {
  if (value === null) throw new Error(`routing rule ${rule} decided on an event it does not match`);
  return value;
}
