import { Cron } from 'croner';

/** A cron expression or time zone that cannot be scheduled; the message says which and why. */
export class InvalidScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidScheduleError';
  }
}

/** Missed ticks are counted up to this many; a longer outage records this number. */
export const MAX_COUNTED_SKIPPED_TICKS = 10_000;

/**
 * When a schedule fires: a cron expression (5 fields, or 6 with seconds first) read in an IANA
 * time zone by croner, so "0 3 * * *" in Europe/Paris is 03:00 Paris time on both sides of a
 * daylight-saving change.
 */
export class CronTicks {
  private readonly cron: Cron;

  /** @throws InvalidScheduleError naming the field or the time zone at fault. */
  constructor(
    readonly expression: string,
    readonly timezone: string,
  ) {
    if (!isIanaTimeZone(timezone)) {
      throw new InvalidScheduleError(
        `time zone "${timezone}" is not an IANA time zone name; use one such as UTC or Europe/Paris`,
      );
    }
    try {
      this.cron = new Cron(expression, { timezone, paused: true });
    } catch (err) {
      const why = err instanceof Error ? err.message.replace(/^CronPattern: /, '') : String(err);
      throw new InvalidScheduleError(
        `cron "${expression}" is invalid: ${why}; write 5 fields (minute hour day month weekday) or 6 with seconds first`,
      );
    }
    if (this.cron.nextRun(new Date(0)) === null) {
      throw new InvalidScheduleError(`cron "${expression}" never fires`);
    }
  }

  /** The first tick strictly after `after`, or null when the expression has no more. */
  nextAfter(after: Date): Date | null {
    return this.cron.nextRun(after);
  }

  /**
   * What is due at `now` for a schedule whose next unfired tick is `nextTickAt`: nothing before
   * that tick; otherwise the policy for missed ticks — fire once, for the latest tick at or
   * before `now`, and count the earlier ones as skipped (they are not run). `nextTickAt` of the
   * answer is the first tick after `now`.
   */
  due(nextTickAt: Date, now: Date): DueTick | null {
    if (nextTickAt.getTime() > now.getTime()) return null;
    let tickAt = nextTickAt;
    let skippedTicks = 0;
    for (;;) {
      const following = this.nextAfter(tickAt);
      if (following === null || following.getTime() > now.getTime()) {
        return { tickAt, skippedTicks, nextTickAt: following };
      }
      if (skippedTicks === MAX_COUNTED_SKIPPED_TICKS) {
        // Counting stops here; the latest tick is the one before the first after now (croner
        // reads a reference to the second, so "before now + 1 ms" would miss a tick at now).
        const next = this.nextAfter(now);
        const [latest] = next ? this.cron.previousRuns(1, next) : [];
        return { tickAt: latest ?? following, skippedTicks, nextTickAt: next };
      }
      skippedTicks += 1;
      tickAt = following;
    }
  }
}

export interface DueTick {
  /** The tick to fire. */
  readonly tickAt: Date;
  /** Earlier ticks that passed unfired (Horizon was down); they are recorded, not run. */
  readonly skippedTicks: number;
  /** The tick after this one; null when the expression fires no more. */
  readonly nextTickAt: Date | null;
}

function isIanaTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
