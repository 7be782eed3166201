import type { BudgetAction, BudgetExtra } from '@horizon/contracts';
import { IngressDataOf } from './ingress-event';

type LinearAgentSessionData = IngressDataOf<'hzn.ingress.linear.agent_session'>;
type LinearIssue = IngressDataOf<'hzn.ingress.linear.issue'>['issue'];
type GithubData = IngressDataOf<'hzn.ingress.github.pull_request'>;
export type GithubRepository = NonNullable<GithubData['repository']>;
export type GithubReview = IngressDataOf<'hzn.ingress.github.pull_request_review'>['review'];
export type GithubReviewComment = IngressDataOf<'hzn.ingress.github.pull_request_review_comment'>['comment'];
export type GithubIssueComment = IngressDataOf<'hzn.ingress.github.issue_comment'>['comment'];
export type SlackMessage = IngressDataOf<'hzn.ingress.slack.app_mention'>['message'];
export type WorkItemCreateRequest = IngressDataOf<'hzn.ingress.api.work_item_create'>;
export type TriggerFiring = IngressDataOf<'hzn.ingress.trigger.fired'>;
export type ScheduleFiring = IngressDataOf<'hzn.ingress.schedule.fired'>;

/** A pull request Horizon opened, as a decision addresses it. */
export interface PullRequestTarget {
  readonly repository: GithubRepository;
  readonly installationId: number | null;
  /** Where it lives: GitHub, or the local forge (its events say `delivery.source: 'local'`). */
  readonly forge: 'github' | 'local';
  readonly number: number;
  /** The head branch: a revise run pushes to it. */
  readonly branch: string;
  readonly htmlUrl: string;
  /** The work item, when the routing context knew the PR; otherwise look it up by branch. */
  readonly workItemId: string | null;
}

/** A pull request the agent review station reads: Horizon's own, or a person's in an opted-in repository. */
export interface ReviewTarget {
  readonly repository: GithubRepository;
  readonly installationId: number | null;
  readonly forge: 'github' | 'local';
  readonly number: number;
  /** Who opened it: a person, or Horizon's bot. */
  readonly author: string;
  readonly headRef: string;
  /** The commit reviewed: one review per head. */
  readonly headSha: string;
  readonly baseRef: string;
  readonly htmlUrl: string;
  /** Set when Horizon opened it (its work item, when the routing context knew the PR); null for a person's. */
  readonly horizon: { readonly workItemId: string | null } | null;
}

/** A check that failed on a pull request's head: what a fix run is asked to repair. */
export interface FailingCheck {
  readonly kind: 'check_run' | 'check_suite' | 'workflow_run' | 'status';
  readonly id: number;
  readonly name: string;
  readonly conclusion: string;
  readonly headSha: string;
}

export interface SlackThreadRef {
  readonly teamId: string;
  readonly channel: string;
  readonly threadTs: string;
}

/** What a revise run is asked to address: a whole review, or one comment. */
export type ReviseFeedback =
  | { readonly kind: 'review'; readonly review: GithubReview }
  | { readonly kind: 'review_comment'; readonly comment: GithubReviewComment }
  | { readonly kind: 'issue_comment'; readonly comment: GithubIssueComment };

export type RoutingDecision =
  | {
      readonly type: 'start_plan_run';
      readonly organizationId: string;
      readonly agentSessionId: string;
      readonly issue: LinearAgentSessionData['issue'];
      /** Linear's context of the session: the issue and the words that asked for the agent. */
      readonly prompt: string | null;
      readonly creatorId: string | null;
    }
  | {
      readonly type: 'continue_session';
      readonly organizationId: string;
      readonly agentSessionId: string;
      readonly prompt: string | null;
      readonly issue: LinearAgentSessionData['issue'];
    }
  | {
      readonly type: 'start_implement_run';
      readonly organizationId: string;
      readonly issue: LinearIssue;
      readonly trigger: 'started' | 'delegated';
      readonly actorId: string | null;
    }
  | {
      /** A human canceled the tracker issue: its work item stops, and never starts by itself. */
      readonly type: 'cancel_tracker_issue';
      readonly issue: LinearIssue;
      readonly actorId: string | null;
    }
  | {
      readonly type: 'start_revise_run';
      readonly pullRequest: PullRequestTarget;
      readonly feedback: ReviseFeedback;
      /** The GitHub login that asked. */
      readonly requestedBy: string;
    }
  | {
      /** A pull request opened or pushed to: the agent reviews its head. */
      readonly type: 'start_review';
      readonly pullRequest: ReviewTarget;
    }
  | {
      /** CI failed on a Horizon PR: a bounded fix run on its branch, with the failure's logs. */
      readonly type: 'start_fix_run';
      readonly pullRequest: PullRequestTarget;
      readonly check: FailingCheck;
    }
  | {
      /** A merge left a Horizon PR conflicting with its base: a rebase run brings it up to date. */
      readonly type: 'start_rebase_run';
      readonly pullRequest: PullRequestTarget;
      readonly baseRef: string;
      readonly headSha: string;
      readonly mergedNumber: number;
      readonly reason: string;
    }
  | {
      /**
       * `@horizon stop` (or the `horizon:no-autofix` label) on a Horizon PR: no more fix runs on
       * it; `@horizon resume` (or the label removed) turns them back on.
       */
      readonly type: 'stop_autofix' | 'resume_autofix';
      readonly pullRequest: PullRequestTarget;
      readonly requestedBy: string;
    }
  | {
      readonly type: 'mark_merged';
      readonly pullRequest: PullRequestTarget;
      readonly mergedBy: string | null;
    }
  | { readonly type: 'cancel'; readonly pullRequest: PullRequestTarget; readonly reason: string }
  | { readonly type: 'start_thread_run'; readonly thread: SlackThreadRef; readonly message: SlackMessage }
  | { readonly type: 'follow_up_prompt'; readonly thread: SlackThreadRef; readonly message: SlackMessage }
  | { readonly type: 'create_work_item'; readonly request: WorkItemCreateRequest }
  | { readonly type: 'start_triggered_work'; readonly firing: TriggerFiring }
  | { readonly type: 'start_scheduled_run'; readonly firing: ScheduleFiring }
  | {
      readonly type: 'cancel_work_item';
      readonly workItemId: string;
      readonly reason: string;
      readonly requestedBy: string;
    }
  | {
      /** A person's words for the item's run in flight, written somewhere the item has no thread (the console). */
      readonly type: 'follow_up_work_item';
      readonly workItemId: string;
      readonly text: string;
      readonly origin: 'console';
      readonly author: string;
    }
  | {
      /** A person asked for an ended item (failed, cancelled, timed out) to be tried again. */
      readonly type: 'retry_work_item';
      readonly workItemId: string;
      readonly requestedBy: string;
    }
  | {
      /** A person started a planned item (the API, CLI or console; Linear is `start_implement_run`). */
      readonly type: 'start_work_item';
      readonly workItemId: string;
      readonly requestedBy: string;
    }
  | {
      /** The owner's answer to an item waiting at a budget (continue with more, or stop). */
      readonly type: 'answer_budget';
      readonly workItemId: string;
      readonly action: BudgetAction;
      readonly extra: BudgetExtra;
      readonly requestedBy: string;
      /** Taken only when this account is linked to the item's owner (a Slack button anyone in the channel sees). */
      readonly fromOwnerOnly?: { readonly provider: 'slack'; readonly externalId: string };
      /** Taken only while the item waits at the hold that began then (the Slack modal names it). */
      readonly holdSince?: string | null;
    }
  | { readonly type: 'ignore'; readonly reason: string };

export type RoutingDecisionType = RoutingDecision['type'];
