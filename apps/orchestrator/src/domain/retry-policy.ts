import { RunOutcome } from '@horizon/contracts';

/**
 * `infra`: the platform failed the run (sandbox did not boot, runner lost, network) and the same
 * attempt may well succeed again. `agent`: the agent or its verification failed; running it
 * again unchanged would spend tokens to fail the same way, so a human decides.
 */
export type FailureClass = 'infra' | 'agent';

export function failureClassOf(outcome: RunOutcome): FailureClass | null {
  if (outcome === 'infra_error') return 'infra';
  if (outcome === 'failed') return 'agent';
  return null;
}

export interface RetryConfig {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Wait before the second attempt; each later one waits `factor` times longer, up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly factor: number;
  readonly maxDelayMs: number;
}

export const defaultRetryConfig: RetryConfig = {
  maxAttempts: 3,
  baseDelayMs: 30_000,
  factor: 2,
  maxDelayMs: 10 * 60_000,
};

export interface RunFailure {
  readonly failureClass: FailureClass;
  /** The attempt that failed, 1 for the first. */
  readonly attempt: number;
  readonly reason: string;
}

export type RetryDecision =
  | {
      readonly retry: true;
      readonly attempt: number;
      readonly delayMs: number;
      readonly notBefore: Date;
      readonly reason: string;
    }
  | { readonly retry: false; readonly reason: string };

export class RetryPolicy {
  constructor(readonly config: RetryConfig = defaultRetryConfig) {}

  /** The wait after attempt `failedAttempt` failed, before the next one. */
  delayAfter(failedAttempt: number): number {
    const { baseDelayMs, factor, maxDelayMs } = this.config;
    return Math.min(maxDelayMs, baseDelayMs * factor ** (failedAttempt - 1));
  }

  afterFailure(failure: RunFailure, now: Date): RetryDecision {
    if (failure.failureClass === 'agent') {
      return { retry: false, reason: `agent failure is final: ${failure.reason}` };
    }
    if (failure.attempt >= this.config.maxAttempts) {
      return {
        retry: false,
        reason: `infra failure on attempt ${failure.attempt} of ${this.config.maxAttempts}, none left: ${failure.reason}`,
      };
    }
    const delayMs = this.delayAfter(failure.attempt);
    return {
      retry: true,
      attempt: failure.attempt + 1,
      delayMs,
      notBefore: new Date(now.getTime() + delayMs),
      reason: `infra failure on attempt ${failure.attempt} of ${this.config.maxAttempts}, retrying in ${delayMs / 1000}s: ${failure.reason}`,
    };
  }
}
