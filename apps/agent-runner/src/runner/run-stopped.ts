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

/** Asked to stop and keep the work (a run stopped at its budget): committed and pushed, then `cancelled`. */
export class SaveAndStop extends RunStopped {
  constructor(reason: string) {
    super('cancelled', reason);
  }
}
