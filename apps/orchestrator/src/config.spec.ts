import { parseConfig } from '@horizon/config';
import { configShape } from './config';

const retroCron = (value?: string) =>
  parseConfig(
    { RETRO_DEFAULT_CRON: configShape.RETRO_DEFAULT_CRON },
    value === undefined ? {} : { RETRO_DEFAULT_CRON: value },
  ).RETRO_DEFAULT_CRON;

describe('RETRO_DEFAULT_CRON: when the weekly retro every repository gets ticks', () => {
  it('is Mondays at 09:00 UTC unless set (an empty variable is an unset one)', () => {
    expect(retroCron()).toBe('0 9 * * 1');
    expect(retroCron('')).toBe('0 9 * * 1');
    expect(retroCron('30 7 * * 5')).toBe('30 7 * * 5');
  });

  it('is none with off', () => {
    expect(retroCron('off')).toBeNull();
  });

  it('refuses at start an expression croner cannot schedule, saying what it expects', () => {
    expect(() => retroCron('0 25 * * 1')).toThrow(
      'config: RETRO_DEFAULT_CRON="0 25 * * 1" is invalid: a cron expression in UTC, e.g. "0 9 * * 1" (Mondays 09:00), or off: no default retro',
    );
  });
});
