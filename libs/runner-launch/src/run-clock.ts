/** What a launcher needs of a run's time: where its deadline stands, and word when it moves. */
export interface RunDeadlineSource {
  /** Epoch milliseconds; null while the run is held (its deadline stands still). */
  readonly deadlineAt: number | null;
  /** Called on every hold and every resume; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
}

/**
 * A run's time as its budgets see it: the run works from its start, except while it is held at
 * its budget (its sandbox frozen, waiting for its owner's answer). Held time is not working time
 * (the wall-time limit counts without it) and does not use up the deadline: the deadline stands
 * still while the run is held and moves later by the time held when it goes on, so a run waiting
 * for an answer is not killed at its deadline and one that goes on keeps the time it had left.
 */
export class RunClock implements RunDeadlineSource {
  private readonly startedAt: number;
  private heldBefore = 0;
  private heldSince: number | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly deadline: number,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  /** Time held so far, the current hold included. */
  get heldMs(): number {
    return this.heldBefore + (this.heldSince === null ? 0 : this.now() - this.heldSince);
  }

  /** Time worked since the start: the wall time a limit counts. */
  get activeMs(): number {
    return this.now() - this.startedAt - this.heldMs;
  }

  get held(): boolean {
    return this.heldSince !== null;
  }

  get deadlineAt(): number | null {
    return this.heldSince === null ? this.deadline + this.heldBefore : null;
  }

  hold(): void {
    if (this.heldSince !== null) return;
    this.heldSince = this.now();
    this.changed();
  }

  /** The hold ended (an answer or none): the clock runs again, the deadline later by the time held. */
  resume(): void {
    if (this.heldSince === null) return;
    this.heldBefore += this.now() - this.heldSince;
    this.heldSince = null;
    this.changed();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
