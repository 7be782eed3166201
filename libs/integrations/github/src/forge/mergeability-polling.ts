import type { Mergeability } from './forge';

/**
 * How long to wait for GitHub to compute a pull request's mergeability. GitHub answers
 * `mergeable: null` while a background job computes it (the first ask after the base moved
 * starts that job), so an answer is asked for again with a doubling delay, a bounded number of times.
 */
export interface MergeabilityPolling {
  /** Asks in all, the first included. */
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/** Six asks over at most 1+2+4+8+8 = 23 s: GitHub usually answers within a few seconds. */
export const MERGEABILITY_POLLING: MergeabilityPolling = {
  attempts: 6,
  firstDelayMs: 1000,
  maxDelayMs: 8000,
};

export type MergeabilityStep =
  /** It no longer merges cleanly: a rebase run can help. */
  | { kind: 'conflicting'; reason: string | null }
  /** Computed, and not a conflict (clean, or blocked by something a rebase does not change). */
  | { kind: 'not_conflicting'; state: string }
  | { kind: 'ask_again'; afterMs: number }
  /** Still not computed after the last ask: nothing is reported rather than a guess. */
  | { kind: 'gave_up'; asked: number };

/** What to do after the `asked`-th answer (1-based). Pure: the caller waits and asks. */
export function nextMergeabilityStep(
  answer: Mergeability,
  asked: number,
  polling: MergeabilityPolling = MERGEABILITY_POLLING,
): MergeabilityStep {
  if (answer.mergeable === false && answer.state === 'dirty')
    return { kind: 'conflicting', reason: answer.reason };
  if (answer.mergeable !== null) return { kind: 'not_conflicting', state: answer.state };
  if (asked >= polling.attempts) return { kind: 'gave_up', asked };
  return {
    kind: 'ask_again',
    afterMs: Math.min(polling.firstDelayMs * 2 ** (asked - 1), polling.maxDelayMs),
  };
}
