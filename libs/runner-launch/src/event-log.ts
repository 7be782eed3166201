/**
 * An append-only list of events that any number of readers iterate from the beginning,
 * waiting for more until it is closed. A reader that starts late (after the run ended,
 * say) still sees every event, which a plain EventEmitter would not give it.
 */
export class EventLog<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private closed = false;
  private waiters: Array<() => void> = [];

  push(item: T): void {
    if (this.closed) return;
    this.items.push(item);
    this.wake();
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  /** The events so far. */
  snapshot(): readonly T[] {
    return [...this.items];
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    let next = 0;
    for (;;) {
      while (next < this.items.length) yield this.items[next++]!;
      if (this.closed) return;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
