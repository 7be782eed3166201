import type { RunOutcome } from '@horizon/contracts';

/** Ends the run early with an outcome; anything else thrown is a runner fault. */
export class RunStopped extends Error {
  constructor(
    readonly outcome: Exclude<RunOutcome, 'succeeded'>,
    readonly reason: string,
    readonly commitSha: string | null = null,
  ) {
    super(reason);
  }
}
