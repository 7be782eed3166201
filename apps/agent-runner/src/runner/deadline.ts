/**
 * The run's deadline as the runner knows it. It only moves later: sandbox-manager gives a run
 * held at its budget the held time back (a `deadline` line on stdin), since a run frozen while
 * its owner is asked did no work in that time.
 */
export class RunDeadline {
  constructor(private current: number) {}

  /** Epoch milliseconds. */
  get at(): number {
    return this.current;
  }

  moveTo(at: number): void {
    if (at > this.current) this.current = at;
  }
}
