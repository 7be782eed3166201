import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ingressCreateApiToken } from '@horizon/contracts';
import { JetStreamConnection, RpcClient } from '@horizon/messaging';
import {
  connectTestMessaging,
  createTestDatabase,
  createTestMessaging,
  ServiceProcess,
  startServiceProcess,
  TestDatabase,
  TestMessaging,
  until,
  runCli,
} from '@horizon/testing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, asserted field by field
type Json = Record<string, any>;

interface Firing {
  tickAt: Date;
  skippedTicks: number;
  workItemId: string;
  firedBy: string;
}

/**
 * Schedules as a person manages them — `horizon schedule …` and the work API over HTTP — with
 * two orchestrator processes (replicas) on one database and stream prefix firing them, and
 * both stopped and one started again across ticks.
 */
describe('schedules through the CLI and the work API, fired by two orchestrator replicas', () => {
  let db: TestDatabase;
  let messaging: TestMessaging;
  let conn: JetStreamConnection;
  let orchestrators: ServiceProcess[];
  let ingress: ServiceProcess;
  let pool: pg.Pool;
  let writer: string;
  let reader: string;

  beforeAll(async () => {
    [db, messaging] = await Promise.all([createTestDatabase(), createTestMessaging()]);
    ({ conn } = await connectTestMessaging(messaging, 'schedules-e2e'));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'schedules-e2e-'));
    const options = { db, messaging, dataDir, env: { SCHEDULE_POLL_INTERVAL_MS: '100' } };
    orchestrators = await Promise.all([
      startServiceProcess('orchestrator', options),
      startServiceProcess('orchestrator', options),
    ]);
    ingress = await startServiceProcess('ingress', { db, messaging, dataDir });
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const rpc = new RpcClient(conn, 'schedules-e2e');
    const token = (name: string, scopes: ('work:read' | 'work:write')[]) =>
      rpc.call(ingressCreateApiToken, { name, scopes, expiresAt: null }).then((t) => t.token);
    [writer, reader] = await Promise.all([
      token('writer', ['work:read', 'work:write']),
      token('reader', ['work:read']),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([ingress?.stop(), ...(orchestrators ?? []).map((o) => o.stop())]);
    await pool?.end();
    await conn?.close();
    await Promise.all([db?.drop(), messaging?.cleanup()]);
  });

  /** The CLI as a user runs it: its own process, its output and exit code. */
  const cli = (...args: string[]) =>
    runCli(['schedule', ...args], { INGRESS_PORT: String(ingress.port), HORIZON_API_TOKEN: writer }, 30_000);

  const api = async (route: string, init: { method?: string; token?: string; body?: unknown } = {}) => {
    const res = await fetch(`${ingress.url}/api/v1${route}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${init.token ?? writer}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };

  const firings = async (scheduleId: string) =>
    (
      await pool.query<Firing>(
        `SELECT "tickAt", "skippedTicks", "workItemId"::text AS "workItemId", "firedBy"
         FROM orchestrator."ScheduleFiring" WHERE "scheduleId" = $1 ORDER BY "tickAt"`,
        [scheduleId],
      )
    ).rows;

  const itemsOf = async (scheduleId: string) =>
    (
      await pool.query<{ id: string; tickAt: string }>(
        `SELECT id::text, "sourceRefs"->'schedule'->>'tickAt' AS "tickAt" FROM orchestrator."WorkItem"
         WHERE "sourceRefs"->'schedule'->>'id' = $1 ORDER BY 2`,
        [scheduleId],
      )
    ).rows;

  it('fires an every-second schedule once per tick across two replicas and a restart, managed from the CLI', async () => {
    const created = await cli(
      'create',
      '--repo',
      'acme/billing',
      '--name',
      'heartbeat',
      '--cron',
      '* * * * * *',
      '--title',
      'Heartbeat sweep',
      '--prompt',
      'Check the build is green.',
      '--json',
    );
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const schedule = JSON.parse(created.stdout) as Json;
    expect(schedule).toMatchObject({ repo: 'acme/billing', name: 'heartbeat', origin: 'api', paused: false });

    await until(async () => (await firings(schedule.id)).length >= 4, 'four ticks fired', 20_000);
    await Promise.all(orchestrators.map((o) => o.stop()));
    const beforeRestart = await firings(schedule.id);
    await new Promise((resolve) => setTimeout(resolve, 3_200));
    await orchestrators[0]!.start();
    await until(
      async () => (await firings(schedule.id)).length > beforeRestart.length,
      'a firing after the restart',
      20_000,
    );
    await orchestrators[1]!.start();

    const paused = await cli('pause', schedule.id);
    expect(paused.code).toBe(0);
    expect(paused.stdout).toMatch(/heartbeat\s+\* \* \* \* \* \* \(UTC\)\s+paused/);
    const settled = await firings(schedule.id);

    // One work item per firing, each naming its tick; no tick twice.
    await until(
      async () => (await itemsOf(schedule.id)).length >= settled.length,
      'an item per firing',
      // Each firing's item comes through the outbox and the ingress consumer: on a loaded
      // machine, after the restart, that can take a while; the check below stays exact.
      45_000,
    );
    expect((await itemsOf(schedule.id)).map((i) => [i.id, i.tickAt])).toEqual(
      settled.map((f) => [f.workItemId, f.tickAt.toISOString()]),
    );
    const ticks = settled.map((f) => f.tickAt.getTime());
    expect(new Set(ticks).size).toBe(ticks.length);
    // The ticks passed while both were down fired once, as the latest, the others counted.
    const resumed = settled[beforeRestart.length]!;
    const gap = (resumed.tickAt.getTime() - beforeRestart[beforeRestart.length - 1]!.tickAt.getTime()) / 1000;
    expect(gap).toBeGreaterThanOrEqual(3);
    expect(resumed.skippedTicks).toBe(gap - 1);

    // Paused, it fires no more; the list shows its last firing.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await firings(schedule.id)).toHaveLength(settled.length);
    const list = await cli('list', '--repo', 'acme/billing', '--json');
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({
        id: schedule.id,
        paused: true,
        nextTickAt: null,
        lastFiring: expect.objectContaining({ tickAt: settled[settled.length - 1]!.tickAt.toISOString() }),
      }),
    ]);

    const resumedCli = await cli('resume', schedule.id, '--json');
    expect(JSON.parse(resumedCli.stdout)).toMatchObject({ paused: false, nextTickAt: expect.any(String) });
    expect(await cli('delete', schedule.id)).toMatchObject({ code: 0, stdout: `${schedule.id}  deleted\n` });
    expect((await cli('list', '--json')).stdout.trim()).toBe('[]');
  }, 120_000);

  it('answers the API with the reason: a bad cron or zone 400, a taken name 409, unknown 404, a reader 403', async () => {
    const body = {
      repo: 'acme/billing',
      name: 'nightly',
      cron: '0 3 * * *',
      timezone: 'Europe/Paris',
      title: 'Update dependencies',
      prompt: 'Bump patch versions.',
    };
    const created = await api('/schedules', { method: 'POST', body });
    expect(created).toMatchObject({
      status: 201,
      body: {
        name: 'nightly',
        timezone: 'Europe/Paris',
        flavour: 'implement',
        createdBy: expect.stringMatching(/^api-token:/),
      },
    });
    // 03:00 in Paris is 01:00 or 02:00 UTC, never 03:00.
    expect(created.body.nextTickAt).toMatch(/T0[12]:00:00\.000Z$/);

    expect(
      await api('/schedules', { method: 'POST', body: { ...body, name: 'bad', cron: '0 3 * *' } }),
    ).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/^cron "0 3 \* \*" is invalid: /) },
    });
    expect(
      await api('/schedules', { method: 'POST', body: { ...body, name: 'bad', timezone: 'Paris' } }),
    ).toMatchObject({
      status: 400,
      body: { error: expect.stringContaining('time zone "Paris" is not an IANA time zone name') },
    });
    expect(await api('/schedules', { method: 'POST', body: { ...body, name: 'Not A Name' } })).toMatchObject({
      status: 400,
      body: { error: 'invalid schedule', issues: [expect.objectContaining({ path: 'name' })] },
    });
    expect(await api('/schedules', { method: 'POST', body })).toMatchObject({
      status: 409,
      body: {
        error: 'acme/billing already has a schedule named "nightly"; choose another name or delete that one',
      },
    });
    expect(
      await api('/schedules/6f1f8d6e-2b8a-4f51-9d3e-0c8b7a6e5d4c/pause', { method: 'POST' }),
    ).toMatchObject({
      status: 404,
    });
    expect(await api('/schedules', { method: 'POST', token: reader, body })).toMatchObject({ status: 403 });
    expect(await api('/schedules?repo=acme/billing', { token: reader })).toMatchObject({
      status: 200,
      body: { schedules: [expect.objectContaining({ name: 'nightly' })] },
    });

    const cliRefusal = await cli(
      'create',
      '--repo',
      'acme/billing',
      '--name',
      'x',
      '--cron',
      '99 * * * *',
      '--title',
      't',
      '--prompt',
      'p',
    );
    expect(cliRefusal.code).toBe(2);
    expect(cliRefusal.stderr).toMatch(/ingress: 400 cron "99 \* \* \* \*" is invalid/);

    const doc = (await (await fetch(`${ingress.url}/api/v1/openapi.json`)).json()) as Json;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/schedules', '/api/v1/schedules/{id}/pause', '/api/v1/schedules/{id}']),
    );
  }, 60_000);
});
