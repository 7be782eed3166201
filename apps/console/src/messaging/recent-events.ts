import type { LiveEvent } from '../shared/console-api';

/**
 * The live events a replica has read lately, in stream order. It holds every live event with a
 * sequence after `floor` up to `last` (the last stream sequence read, live or not), at most
 * `keep` of them: the oldest go, and `floor` moves up to the last one gone.
 */
export class RecentEvents {
  private events: LiveEvent[] = [];
  floor = 0;
  last = 0;

  constructor(private readonly keep: number) {}

  /** Nothing kept yet; reading starts after `seq`. */
  startAfter(seq: number): void {
    this.events = [];
    this.floor = seq;
    this.last = seq;
  }

  /** The message at `seq` was read: kept if it is a live event. */
  add(seq: number, event: LiveEvent | null): void {
    if (seq <= this.last) return;
    this.last = seq;
    if (!event) return;
    this.events.push(event);
    // Dropped in batches: one shift per event would copy the whole array each time.
    if (this.events.length > this.keep * 1.1) {
      const dropped = this.events.splice(0, this.events.length - this.keep);
      this.floor = dropped.at(-1)!.seq;
    }
  }

  /** The kept events after `seq`, oldest first. */
  after(seq: number): LiveEvent[] {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.events[mid]!.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return this.events.slice(lo);
  }
}
