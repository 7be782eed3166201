import type { ScheduleDeclaration } from '@horizon/contracts';
import { planScheduleSync, StoredSchedule } from './schedule-sync';

const declared = (name: string, over: Partial<ScheduleDeclaration> = {}): ScheduleDeclaration => ({
  name,
  cron: '0 3 * * *',
  timezone: 'UTC',
  title: `Run ${name}`,
  prompt: 'Do it.',
  flavour: 'implement',
  ...over,
});
const stored = (
  name: string,
  origin: 'config' | 'api',
  over: Partial<ScheduleDeclaration> = {},
): StoredSchedule => ({ id: `id-${name}`, origin, ...declared(name, over) });

describe('planScheduleSync: a repository config owns the schedules it declares', () => {
  it('creates what is newly declared and changes nothing that already matches', () => {
    expect(
      planScheduleSync([stored('nightly', 'config')], [declared('nightly'), declared('weekly')]),
    ).toEqual({
      create: [declared('weekly')],
      update: [],
      remove: [],
      shadowed: [],
    });
  });

  it('updates only the fields that moved, and says when the timing did', () => {
    const plan = planScheduleSync(
      [stored('a', 'config'), stored('b', 'config')],
      [declared('a', { title: 'New title' }), declared('b', { timezone: 'Europe/Paris' })],
    );
    expect(plan.update).toEqual([
      { id: 'id-a', changes: { title: 'New title' }, timingChanged: false },
      { id: 'id-b', changes: { timezone: 'Europe/Paris' }, timingChanged: true },
    ]);
  });

  it('removes config schedules no longer declared, never API ones', () => {
    const plan = planScheduleSync([stored('gone', 'config'), stored('manual', 'api')], []);
    expect(plan.remove).toEqual([{ id: 'id-gone', name: 'gone' }]);
  });

  it('leaves an API schedule of the same name alone and reports the declaration as shadowed', () => {
    const plan = planScheduleSync([stored('nightly', 'api', { cron: '0 1 * * *' })], [declared('nightly')]);
    expect(plan).toEqual({ create: [], update: [], remove: [], shadowed: ['nightly'] });
  });
});
