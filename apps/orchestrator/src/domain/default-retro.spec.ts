import { scheduleDeclarationSchema, type ScheduleDeclaration } from '@horizon/contracts';
import { DEFAULT_RETRO_SCHEDULE, withDefaultRetro } from './default-retro';

const declared = (name: string, over: Partial<ScheduleDeclaration> = {}): ScheduleDeclaration => ({
  name,
  cron: '0 3 * * *',
  timezone: 'UTC',
  title: `Run ${name}`,
  prompt: 'Do it.',
  flavour: 'implement',
  ...over,
});
const weekly = { weekly: true };
const monday = '0 9 * * 1';

describe('withDefaultRetro: every repository gets a weekly retro unless it has or declines one', () => {
  it('adds a weekly retro at the deployment cron, in UTC, after what the repository declares', () => {
    const schedules = withDefaultRetro([declared('nightly')], weekly, monday);
    expect(schedules).toEqual([
      declared('nightly'),
      expect.objectContaining({
        name: DEFAULT_RETRO_SCHEDULE,
        cron: monday,
        timezone: 'UTC',
        flavour: 'retro',
      }),
    ]);
    // A declaration like any other: what the config schema would accept.
    expect(scheduleDeclarationSchema.parse(schedules[1])).toEqual(schedules[1]);
  });

  it('gives a repository that declares nothing the retro alone', () => {
    expect(withDefaultRetro([], weekly, monday).map((s) => s.name)).toEqual([DEFAULT_RETRO_SCHEDULE]);
  });

  it('leaves it out when the repository has a retro of its own, whatever its name', () => {
    const own = declared('friday-retro', { cron: '0 16 * * 5', flavour: 'retro' });
    expect(withDefaultRetro([declared('nightly'), own], weekly, monday)).toEqual([declared('nightly'), own]);
  });

  it('leaves the name to a repository that declares a schedule under it', () => {
    const mine = declared(DEFAULT_RETRO_SCHEDULE, { flavour: 'plan' });
    expect(withDefaultRetro([mine], weekly, monday)).toEqual([mine]);
  });

  it('leaves it out when the repository declines it, or the deployment turned it off', () => {
    expect(withDefaultRetro([declared('nightly')], { weekly: false }, monday)).toEqual([declared('nightly')]);
    expect(withDefaultRetro([declared('nightly')], weekly, null)).toEqual([declared('nightly')]);
  });
});
