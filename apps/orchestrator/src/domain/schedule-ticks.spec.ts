import { CronTicks, InvalidScheduleError, MAX_COUNTED_SKIPPED_TICKS } from './schedule-ticks';

const at = (iso: string) => new Date(iso);

describe('CronTicks', () => {
  it('finds the next tick in the schedule’s time zone, across a daylight-saving change', () => {
    const paris = new CronTicks('0 3 * * *', 'Europe/Paris');
    // Winter: 03:00 in Paris is 02:00 UTC; after the change on 29 March 2026 it is 01:00 UTC.
    expect(paris.nextAfter(at('2026-03-28T00:00:00Z'))).toEqual(at('2026-03-28T02:00:00Z'));
    expect(paris.nextAfter(at('2026-03-28T02:00:00Z'))).toEqual(at('2026-03-29T01:00:00Z'));
  });

  it('reads six fields as seconds first', () => {
    const everySecond = new CronTicks('* * * * * *', 'UTC');
    expect(everySecond.nextAfter(at('2026-01-01T00:00:00.400Z'))).toEqual(at('2026-01-01T00:00:01Z'));
  });

  it.each([
    ['61 * * * *', 'UTC', /cron "61 \* \* \* \*" is invalid: .*minute/],
    ['every day', 'UTC', /cron "every day" is invalid/],
    ['0 3 * * *', 'Mars/Olympus', /time zone "Mars\/Olympus" is not an IANA time zone name/],
  ])('refuses %s in %s with the reason', (cron, timezone, message) => {
    expect(() => new CronTicks(cron, timezone)).toThrow(InvalidScheduleError);
    expect(() => new CronTicks(cron, timezone)).toThrow(message);
  });

  describe('what is due (missed ticks run once, not N times)', () => {
    const hourly = new CronTicks('0 * * * *', 'UTC');

    it('is nothing before the next tick', () => {
      expect(hourly.due(at('2026-01-01T10:00:00Z'), at('2026-01-01T09:59:59Z'))).toBeNull();
    });

    it('is the tick itself when it has just come, with the one after it next', () => {
      expect(hourly.due(at('2026-01-01T10:00:00Z'), at('2026-01-01T10:00:00.200Z'))).toEqual({
        tickAt: at('2026-01-01T10:00:00Z'),
        skippedTicks: 0,
        nextTickAt: at('2026-01-01T11:00:00Z'),
      });
    });

    it('after an outage, is the latest missed tick only, counting the others as skipped', () => {
      // Down from before 10:00 until 13:30: 10, 11, 12 and 13 o'clock passed.
      expect(hourly.due(at('2026-01-01T10:00:00Z'), at('2026-01-01T13:30:00Z'))).toEqual({
        tickAt: at('2026-01-01T13:00:00Z'),
        skippedTicks: 3,
        nextTickAt: at('2026-01-01T14:00:00Z'),
      });
    });

    it('stops counting skipped ticks at the bound and still fires the latest', () => {
      const everySecond = new CronTicks('* * * * * *', 'UTC');
      const due = everySecond.due(at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00.500Z'));
      expect(due).toEqual({
        tickAt: at('2026-01-02T00:00:00Z'),
        skippedTicks: MAX_COUNTED_SKIPPED_TICKS,
        nextTickAt: at('2026-01-02T00:00:01Z'),
      });
    });
  });
});
