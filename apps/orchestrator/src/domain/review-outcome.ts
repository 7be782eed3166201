import type { ReviewVerdict } from '@horizon/contracts';
import type { WorkItemState } from '@horizon/contracts';

/** A finished agent review, with what the orchestrator knows of the PR's work item. */
export interface FinishedReview {
  readonly verdict: ReviewVerdict;
  /** The Horizon work item whose PR was reviewed; null for a person's pull request. */
  readonly horizonItem: { readonly state: WorkItemState; readonly headSha: string | null } | null;
  /** The commit the review read. */
  readonly reviewedSha: string;
  /** Revise runs earlier agent reviews already started on this PR. */
  readonly selfRevisionsDone: number;
  /** `review.selfRevisions` of the repository (default 1). */
  readonly selfRevisionLimit: number;
}

/**
 * After the review is posted: `self_revision` starts a revise run on the PR's branch with the
 * review as its prompt; `hand_to_human` leaves the PR to its reviewers, saying why.
 */
export type ReviewFollowUp =
  | { readonly type: 'self_revision'; readonly reason: string }
  | { readonly type: 'hand_to_human'; readonly reason: string };

export interface ReviewOutcomeRule {
  readonly name: string;
  readonly matches: (review: FinishedReview) => boolean;
  readonly decide: (review: FinishedReview) => ReviewFollowUp;
}

const handToHuman = (reason: string): ReviewFollowUp => ({ type: 'hand_to_human', reason });

/**
 * What a finished agent review starts, read top to bottom like the routing table. Only a
 * `request_changes` verdict on Horizon's own PR, still waiting for review at the commit that
 * was reviewed, starts a revise run, and at most `selfRevisionLimit` of them per PR: the agent
 * never argues with itself for ever, and a human always has the last word.
 */
export const reviewOutcomeRules: readonly ReviewOutcomeRule[] = [
  {
    name: 'person-pull-request',
    matches: (r) => r.horizonItem === null,
    decide: () => handToHuman('a person’s pull request: the review is advice for its author'),
  },
  {
    name: 'verdict-without-changes',
    matches: (r) => r.verdict !== 'request_changes',
    decide: (r) => handToHuman(`the agent review's verdict is ${r.verdict}`),
  },
  {
    name: 'item-not-waiting-for-review',
    matches: (r) => r.horizonItem?.state !== 'in_review',
    decide: (r) => handToHuman(`the work item is ${r.horizonItem?.state ?? 'unknown'}, not in review`),
  },
  {
    name: 'review-of-an-older-commit',
    matches: (r) => r.horizonItem?.headSha !== null && r.horizonItem?.headSha !== r.reviewedSha,
    decide: (r) => handToHuman(`the review read ${r.reviewedSha.slice(0, 7)}, the branch has moved since`),
  },
  {
    name: 'self-revisions-spent',
    matches: (r) => r.selfRevisionsDone >= r.selfRevisionLimit,
    decide: (r) =>
      handToHuman(
        `review.selfRevisions (${r.selfRevisionLimit}) spent: ${r.selfRevisionsDone} revise run(s) already followed agent reviews`,
      ),
  },
  {
    name: 'self-revision',
    matches: () => true,
    decide: (r) => ({
      type: 'self_revision',
      reason: `the agent review requested changes (self-revision ${r.selfRevisionsDone + 1} of ${r.selfRevisionLimit})`,
    }),
  },
];

export function afterReview(review: FinishedReview): { rule: string; followUp: ReviewFollowUp } {
  const rule = reviewOutcomeRules.find((candidate) => candidate.matches(review))!;
  return { rule: rule.name, followUp: rule.decide(review) };
}

/** How the verdict is posted: GitHub refuses `REQUEST_CHANGES` and `APPROVE` on a PR its poster opened. */
export function reviewEvent(
  verdict: ReviewVerdict,
  postedOnOwnPullRequest: boolean,
): 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT' {
  if (postedOnOwnPullRequest || verdict === 'comment') return 'COMMENT';
  return verdict === 'approve' ? 'APPROVE' : 'REQUEST_CHANGES';
}

/** The `Horizon review` check run's conclusion for a verdict. */
export function reviewConclusion(verdict: ReviewVerdict): 'success' | 'neutral' | 'failure' {
  return verdict === 'approve' ? 'success' : verdict === 'comment' ? 'neutral' : 'failure';
}
