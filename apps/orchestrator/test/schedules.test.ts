import { INestApplication } from '@nestjs/common';
import { sandboxSnapshotBuilt } from '@horizon/contracts';
import type { ScheduleDeclaration } from '@horizon/contracts';
import { ScheduleService } from '../src/application/schedule.service';
import { ScheduleTicker } from '../src/application/schedule-ticker';
import { OrchestratorStack, until } from './harness';

interface FiringRow {
  tickAt: Date;
  skippedTicks: number;
  workItemId: string;
  firedBy: string;
}

const declaration = (name: string, cron: string): ScheduleDeclaration => ({
  name,
  cron,
  timezone: 'UTC',
  title: `Sweep ${name}`,
  prompt: 'Look for flaky tests and fix one.',
  flavour: 'implement',
});

const at = (iso: string) => new Date(iso);

/** The default retro's title, as `horizon schedule list` shows it: where it comes from and how to decline it. */
const weeklyRetroTitle = expect.stringMatching(
  /^Weekly retro \(every repository's default; `retro: \{ weekly: false \}`/,
);

/**
 * Schedules fire through two real orchestrators on one database and one set of streams: each
 * tick becomes one recorded firing and one work item, whichever replica gets there first, and
 * a restart fires the ticks it missed once, for the latest of them.
 */
describe('schedules (two orchestrator replicas, real Postgres and NATS)', () => {
  let stack: OrchestratorStack;
  let replica: INestApplication;

  beforeAll(async () => {
    stack = await OrchestratorStack.start({ env: { SCHEDULE_POLL_INTERVAL_MS: '100' } });
    replica = await stack.bootReplica();
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  const service = (app: INestApplication = stack.app!) => app.get(ScheduleService);
  const ticker = (app: INestApplication) => app.get(ScheduleTicker);

  const create = (name: string, cron: string, now?: Date) =>
    service().create(
      { repo: 'acme/billing', schedule: declaration(name, cron), ownerId: null, requestedBy: 'test' },
      now,
    );

  const firings = (scheduleId: string) =>
    stack.query<FiringRow>(
      `SELECT "tickAt", "skippedTicks", "workItemId"::text AS "workItemId", "firedBy"
       FROM "ScheduleFiring" WHERE "scheduleId" = $1 ORDER BY "tickAt"`,
      [scheduleId],
    );

  /** The work items the schedule's firings started, by the tick in their sourceRefs. */
  const scheduledItems = (scheduleId: string) =>
    stack.query<{ id: string; tickAt: string; kind: string; title: string }>(
      `SELECT id::text, "sourceRefs"->'schedule'->>'tickAt' AS "tickAt", kind::text, title
       FROM "WorkItem" WHERE "sourceRefs"->'schedule'->>'id' = $1 ORDER BY 2`,
      [scheduleId],
    );

  /** Every firing has become exactly one work item, naming the schedule and its tick. */
  async function expectOneItemPerFiring(scheduleId: string): Promise<FiringRow[]> {
    const fired = await firings(scheduleId);
    await until(
      async () => (await scheduledItems(scheduleId)).length >= fired.length,
      'a work item for every firing',
      // Through the outbox and the consumer, after a restart, on a loaded machine: give it time.
      45_000,
    );
    const items = await scheduledItems(scheduleId);
    expect(items.map((i) => [i.id, i.tickAt])).toEqual(
      fired.map((f) => [f.workItemId, f.tickAt.toISOString()]),
    );
    return fired;
  }

  it('fires a tick once when both replicas reach it at the same moment', async () => {
    // A yearly schedule from 2030, so the replicas' own timers (on today's clock) never reach it.
    const schedule = await create('yearly-race', '0 0 1 1 *', at('2030-06-01T00:00:00Z'));
    expect(schedule.nextTickAt).toBe('2031-01-01T00:00:00.000Z');

    const fired: number[] = [];
    for (const year of [2031, 2032, 2033]) {
      const now = at(`${year}-01-01T00:00:00.250Z`);
      fired.push(
        (await Promise.all([ticker(stack.app!).fireDue(now), ticker(replica).fireDue(now)])).reduce(
          (a, b) => a + b,
        ),
      );
    }
    expect(fired).toEqual([1, 1, 1]);
    const recorded = await expectOneItemPerFiring(schedule.id);
    expect(recorded.map((f) => [f.tickAt.toISOString(), f.skippedTicks])).toEqual([
      ['2031-01-01T00:00:00.000Z', 0],
      ['2032-01-01T00:00:00.000Z', 0],
      ['2033-01-01T00:00:00.000Z', 0],
    ]);
    const [item] = await scheduledItems(schedule.id);
    expect(item).toMatchObject({ kind: 'implement', title: 'Sweep yearly-race' });
    // Out of the way of the tests that move the clock on.
    expect(await service().setPaused(schedule.id, true)).toMatchObject({ paused: true, nextTickAt: null });
  }, 60_000);

  it('after a restart, fires the ticks missed while down once, for the latest, and counts the rest', async () => {
    const schedule = await create('yearly-restart', '0 0 1 1 *', at('2030-06-01T00:00:00Z'));
    expect(await ticker(stack.app!).fireDue(at('2031-01-01T00:00:01Z'))).toBe(1);

    // Every orchestrator stops; 2032 and 2033 pass; one comes back in March 2034.
    await stack.stopApp();
    await Promise.all(stack.replicas.splice(0).map((r) => r.close()));
    await stack.boot();
    expect(await ticker(stack.app!).fireDue(at('2034-03-01T00:00:00Z'))).toBe(1);
    expect(await ticker(stack.app!).fireDue(at('2034-03-01T00:00:00Z'))).toBe(0);
    replica = await stack.bootReplica();

    const recorded = await expectOneItemPerFiring(schedule.id);
    expect(recorded.map((f) => [f.tickAt.toISOString(), f.skippedTicks])).toEqual([
      ['2031-01-01T00:00:00.000Z', 0],
      ['2034-01-01T00:00:00.000Z', 2],
    ]);
    const [view] = (await service().list('acme/billing')).filter((s) => s.id === schedule.id);
    expect(view).toMatchObject({
      nextTickAt: '2035-01-01T00:00:00.000Z',
      lastFiring: { tickAt: '2034-01-01T00:00:00.000Z', skippedTicks: 2 },
    });
  }, 90_000);

  it('on the real clock, every second, fires each tick once across both replicas and a restart', async () => {
    const schedule = await create('every-second', '* * * * * *');
    await until(async () => (await firings(schedule.id)).length >= 3, 'three ticks fired', 15_000);

    // Both orchestrators stop for more than two ticks, then one starts again.
    await stack.stopApp();
    await Promise.all(stack.replicas.splice(0).map((r) => r.close()));
    const beforeRestart = await firings(schedule.id);
    await new Promise((resolve) => setTimeout(resolve, 3_200));
    await stack.boot();
    replica = await stack.bootReplica();
    await until(
      async () => (await firings(schedule.id)).length >= beforeRestart.length + 3,
      'three more ticks fired after the restart',
      15_000,
    );
    await service().setPaused(schedule.id, true);

    const recorded = await expectOneItemPerFiring(schedule.id);
    const ticks = recorded.map((f) => f.tickAt.getTime());
    expect(new Set(ticks).size).toBe(ticks.length);
    for (const tick of ticks) expect(tick % 1000).toBe(0);
    // The first firing after the restart is the latest tick, with the ones missed counted, not run.
    const resumed = recorded[beforeRestart.length]!;
    const lastBefore = beforeRestart[beforeRestart.length - 1]!;
    const gapSeconds = (resumed.tickAt.getTime() - lastBefore.tickAt.getTime()) / 1000;
    expect(gapSeconds).toBeGreaterThanOrEqual(3);
    expect(resumed.skippedTicks).toBe(gapSeconds - 1);
  }, 90_000);

  it("keeps a repository's config schedules as its .horizon/config.yaml declares them at each snapshot", async () => {
    const repo = 'acme/config-sync';
    const snapshot = (commit: string, schedules?: ScheduleDeclaration[]) =>
      stack.publish(sandboxSnapshotBuilt, {
        repo,
        flavour: 'implement',
        commit: commit.repeat(40),
        snapshotId: `snap-${commit}`,
        removed: [],
        ...(schedules ? { schedules } : {}),
      });
    const listed = async () =>
      (await service().list(repo)).map((s) => [s.name, s.origin, s.cron, s.title, s.createdBy]);
    const manual = await service().create({
      repo,
      schedule: declaration('manual', '0 5 * * *'),
      ownerId: null,
      requestedBy: 'ada',
    });

    const redelivered = await snapshot('a', [
      declaration('nightly', '0 3 * * *'),
      declaration('manual', '0 6 * * *'),
      declaration('broken', '0 25 * * *'),
    ]);
    await until(async () => (await listed()).length === 3, 'the declared schedule created', 15_000);
    // With the weekly retro every repository gets (it declares no retro of its own).
    const defaultRetro = [
      'weekly-retro',
      'config',
      '0 9 * * 1',
      weeklyRetroTitle,
      `config@${'a'.repeat(12)}`,
    ];
    expect(await listed()).toEqual([
      ['manual', 'api', '0 5 * * *', 'Sweep manual', 'ada'],
      ['nightly', 'config', '0 3 * * *', 'Sweep nightly', `config@${'a'.repeat(12)}`],
      defaultRetro,
    ]);
    // The same event again (a redelivery) changes nothing; a snapshot saying nothing of schedules neither.
    await stack.publish(sandboxSnapshotBuilt, redelivered.data as never, redelivered.id);
    await snapshot('b');
    const nightly = (await service().list(repo)).find((s) => s.name === 'nightly')!;
    await service().setPaused(nightly.id, true);

    await snapshot('c', [
      { ...declaration('nightly', '0 4 * * *'), title: 'Bump deps' },
      declaration('weekly', '0 9 * * 1'),
    ]);
    await until(async () => (await listed()).length === 4, 'the second declaration applied', 15_000);
    expect(await listed()).toEqual([
      ['manual', 'api', '0 5 * * *', 'Sweep manual', 'ada'],
      ['nightly', 'config', '0 4 * * *', 'Bump deps', `config@${'a'.repeat(12)}`],
      ['weekly', 'config', '0 9 * * 1', 'Sweep weekly', `config@${'c'.repeat(12)}`],
      defaultRetro,
    ]);
    // Pausing belongs to people, not to the file: the changed schedule is still paused.
    expect((await service().list(repo)).find((s) => s.name === 'nightly')).toMatchObject({
      paused: true,
      nextTickAt: null,
    });

    await snapshot('d', []);
    await until(async () => (await listed()).length === 2, 'undeclared config schedules removed', 15_000);
    expect(await listed()).toEqual([['manual', 'api', '0 5 * * *', 'Sweep manual', 'ada'], defaultRetro]);
    expect(manual.origin).toBe('api');
  }, 60_000);

  it('gives every repository a weekly retro, unless it has its own, declines it, or the deployment turned it off', async () => {
    const repo = 'acme/quiet';
    let commits = 0;
    const snapshot = (schedules: ScheduleDeclaration[], retro?: { weekly: boolean }) =>
      stack.publish(sandboxSnapshotBuilt, {
        repo,
        flavour: 'implement',
        commit: String(++commits).padStart(40, '0'),
        snapshotId: `snap-${commits}`,
        removed: [],
        schedules,
        ...(retro ? { retro } : {}),
      });
    const listed = async () =>
      (await service().list(repo)).map((s) => [s.name, s.flavour, s.cron, s.timezone, s.nextTickAt]);
    const settles = (names: string[], what: string) =>
      until(async () => (await listed()).map(([name]) => name).join() === names.join(), what, 15_000);

    // Declaring nothing, it gets the retro on Mondays at 09:00 UTC.
    await snapshot([]);
    await settles(['weekly-retro'], 'the default retro created');
    const [retro] = await service().list(repo);
    expect(retro).toMatchObject({ flavour: 'retro', origin: 'config', timezone: 'UTC', paused: false });
    expect(new Date(retro!.nextTickAt!).getUTCDay()).toBe(1);
    expect(retro!.nextTickAt).toMatch(/T09:00:00\.000Z$/);

    // A retro of its own replaces it.
    const friday = { ...declaration('friday-retro', '0 16 * * 5'), flavour: 'retro' as const };
    await snapshot([friday]);
    await settles(['friday-retro'], 'its own retro instead of the default');
    expect(await listed()).toEqual([['friday-retro', 'retro', '0 16 * * 5', 'UTC', expect.any(String)]]);

    // Declining it, with no retro of its own, leaves it none.
    await snapshot([], { weekly: false });
    await settles([], 'no retro once declined');
    await snapshot([], { weekly: true });
    await settles(['weekly-retro'], 'the default retro back');

    // A deployment that sets RETRO_DEFAULT_CRON=off gives none: the next snapshot removes it.
    await stack.stopApp();
    await Promise.all(stack.replicas.splice(0).map((r) => r.close()));
    await stack.boot({ RETRO_DEFAULT_CRON: 'off' });
    try {
      await snapshot([declaration('nightly', '0 3 * * *')]);
      await settles(['nightly'], 'the default retro removed');
    } finally {
      await stack.stopApp();
      await stack.boot();
    }
  }, 90_000);

  it('refuses an unreadable cron or time zone, and a name already taken, saying which', async () => {
    await expect(create('bad-cron', '0 25 * * *')).rejects.toMatchObject({
      code: 'invalid_schedule',
      message: expect.stringMatching(/cron "0 25 \* \* \*" is invalid: .*hour/),
    });
    await expect(
      service().create({
        repo: 'acme/billing',
        schedule: { ...declaration('bad-zone', '0 3 * * *'), timezone: 'Europe/Atlantis' },
        ownerId: null,
        requestedBy: 'test',
      }),
    ).rejects.toMatchObject({ code: 'invalid_schedule', message: expect.stringMatching(/Europe\/Atlantis/) });
    await create('taken', '0 3 * * *');
    await expect(create('taken', '0 4 * * *')).rejects.toMatchObject({ code: 'schedule_exists' });
  }, 30_000);
});
