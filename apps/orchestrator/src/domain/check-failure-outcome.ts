import type { WorkItemState } from '@horizon/contracts';

/** A failing check on a Horizon PR, with what the orchestrator knows of the PR's work item. */
export interface CheckFailureFacts {
  readonly itemState: WorkItemState;
  /** Someone said `@horizon stop` on the PR. */
  readonly stopped: boolean;
  /** Fix runs earlier failures already started on this PR. */
  readonly roundsDone: number;
  /** `CI_FIX_ROUNDS` (default 2). */
  readonly roundLimit: number;
  /** Whether the PR was already told the rounds are spent. */
  readonly exhaustionReported: boolean;
  /** The commit the check ran on, and the last one Horizon pushed to the branch (null: none known). */
  readonly checkSha: string;
  readonly branchSha: string | null;
}

/**
 * `fix`: a fix run on the PR's branch with the failure's logs; `report_exhausted`: the rounds
 * are spent, the PR is told once (naming the check and the rounds) and left to people;
 * `ignore`: nothing happens, for the reason given (audited).
 */
export type CheckFailureOutcome =
  | { readonly type: 'fix'; readonly round: number; readonly reason: string }
  | { readonly type: 'report_exhausted'; readonly reason: string }
  | { readonly type: 'ignore'; readonly reason: string };

export interface CheckFailureRule {
  readonly name: string;
  readonly matches: (facts: CheckFailureFacts) => boolean;
  readonly decide: (facts: CheckFailureFacts) => CheckFailureOutcome;
}

const ignoring = (reason: string): CheckFailureOutcome => ({ type: 'ignore', reason });
const closedStates: readonly WorkItemState[] = ['merged', 'done', 'cancelled'];

/**
 * What a failing check on a Horizon PR starts, read top to bottom like the routing table. A fix
 * run only on an open PR waiting for review at the commit that failed, while nobody turned the
 * station off, and at most `roundLimit` of them per PR: a failure past that is reported once.
 */
export const checkFailureRules: readonly CheckFailureRule[] = [
  {
    name: 'pull-request-closed',
    matches: (f) => closedStates.includes(f.itemState),
    decide: (f) => ignoring(`the pull request is closed (its work item is ${f.itemState})`),
  },
  {
    name: 'autofix-stopped',
    matches: (f) => f.stopped,
    decide: () => ignoring('someone asked Horizon to stop fixing CI on this pull request'),
  },
  {
    name: 'run-in-flight',
    matches: (f) => f.itemState !== 'in_review',
    decide: (f) => ignoring(`the work item is ${f.itemState}: its run will push a new commit`),
  },
  {
    name: 'check-of-an-older-commit',
    matches: (f) => f.branchSha !== null && f.branchSha !== f.checkSha,
    decide: (f) => ignoring(`the check ran on ${f.checkSha.slice(0, 7)}, the branch has moved since`),
  },
  {
    name: 'rounds-spent-reported',
    matches: (f) => f.roundsDone >= f.roundLimit && f.exhaustionReported,
    decide: (f) => ignoring(`the ${f.roundLimit} fix rounds are spent and the pull request was told`),
  },
  {
    name: 'rounds-spent',
    matches: (f) => f.roundsDone >= f.roundLimit,
    decide: (f) => ({
      type: 'report_exhausted',
      reason: `${f.roundsDone} of ${f.roundLimit} fix rounds spent`,
    }),
  },
  {
    name: 'fix',
    matches: () => true,
    decide: (f) => ({
      type: 'fix',
      round: f.roundsDone + 1,
      reason: `fix round ${f.roundsDone + 1} of ${f.roundLimit}`,
    }),
  },
];

export function afterCheckFailure(facts: CheckFailureFacts): { rule: string; outcome: CheckFailureOutcome } {
  const rule = checkFailureRules.find((r) => r.matches(facts)) as CheckFailureRule;
  return { rule: rule.name, outcome: rule.decide(facts) };
}
