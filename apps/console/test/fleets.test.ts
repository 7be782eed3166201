import { randomUUID } from 'node:crypto';
import type { FleetDetailView, FleetListView, FleetView } from '../src/shared/console-api';
import { ConsoleUnderTest, type Browser } from './support/console-under-test';

type Audit = { entries: { actor: string; action: string; target: string | null }[] };

/**
 * Fleets in the console over real HTTP and the real orchestrator (its own process, on Postgres
 * and JetStream): who sees a fleet and which of its children, who may create, cancel and retry
 * it, the CSV export, and each change in the audit log.
 */
describe('console fleets', () => {
  let hzn: ConsoleUnderTest;
  let admin: Browser;
  let memberOfA: Browser;
  let outsider: Browser;
  const suffix = randomUUID().slice(0, 6);
  const [a, b] = [`acme/fa-${suffix}`, `acme/fb-${suffix}`];
  const json = async <T>(res: Response) => (await res.json()) as T;

  beforeAll(async () => {
    hzn = await ConsoleUnderTest.start();
    [admin, memberOfA, outsider] = await Promise.all([
      hzn.signIn('ada'),
      hzn.signIn('grace', 'member', a),
      hzn.signIn('linus', 'admin', `acme/other-${suffix}`),
    ]);
  }, 120_000);
  afterAll(async () => {
    await hzn?.stop();
  });

  const create = (browser: Browser, body: unknown) =>
    hzn.request('/api/fleets', { method: 'POST', browser, body });

  it('lets only a member of every repository create a fleet, and says which one is missing', async () => {
    const refused = await create(memberOfA, {
      title: 'Bump eslint',
      prompt: 'Bump it.',
      selector: { repos: [a, b] },
    });
    expect(refused.status).toBe(403);
    expect((await json<{ message: string }>(refused)).message).toBe(
      `creating the fleet needs the member role in ${b}; ask an admin of the repository for it`,
    );
    const glob = await create(memberOfA, { title: 'All', prompt: 'Bump it.', selector: { glob: 'acme/*' } });
    expect(glob.status).toBe(403);
    expect((await json<{ message: string }>(glob)).message).toMatch(/every repository \(a glob may match/);
    const bad = await create(admin, { title: 'Bump', prompt: 'Bump it.', selector: { repos: [a] }, cap: 0 });
    expect(bad.status).toBe(400);
    expect((await json<{ message: string }>(bad)).message).toMatch(/^cap: /);
  });

  it('shows a fleet with only the children a person may see, exports them, and lets members of all change it', async () => {
    const created = await create(admin, {
      title: 'Bump eslint',
      prompt: 'Bump eslint to 9.',
      selector: { repos: [a, b] },
      cap: 1,
    });
    expect(created.status).toBe(201);
    const fleet = await json<FleetView>(created);
    expect(fleet).toMatchObject({ title: 'Bump eslint', cap: 1, progress: { total: 2 } });

    const mine = await json<FleetListView>(await hzn.request('/api/fleets', { browser: memberOfA }));
    expect(mine.fleets.map((f) => f.id)).toContain(fleet.id);
    const theirs = await json<FleetListView>(await hzn.request('/api/fleets', { browser: outsider }));
    expect(theirs.fleets.map((f) => f.id)).not.toContain(fleet.id);
    expect((await hzn.request(`/api/fleets/${fleet.id}`, { browser: outsider })).status).toBe(404);

    const seen = await json<FleetDetailView>(
      await hzn.request(`/api/fleets/${fleet.id}`, { browser: memberOfA }),
    );
    expect(seen.children.map((c) => c.repo)).toEqual([a]);
    expect(seen).toMatchObject({ hidden: 1, mayChange: false });
    const all = await json<FleetDetailView>(await hzn.request(`/api/fleets/${fleet.id}`, { browser: admin }));
    expect(all.children.map((c) => c.repo).sort()).toEqual([a, b].sort());
    expect(all.mayChange).toBe(true);

    const csv = await hzn.request(`/api/fleets/${fleet.id}/results.csv`, { browser: memberOfA });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="fleet-${fleet.id}.csv"`);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^repo,state,pull_request,/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([a]);

    const cancel = (browser: Browser) =>
      hzn.request(`/api/fleets/${fleet.id}/cancel`, { method: 'POST', browser, body: {} });
    const notAll = await cancel(memberOfA);
    expect(notAll.status).toBe(403);
    expect((await json<{ message: string }>(notAll)).message).toContain(b);
    const cancelled = await cancel(admin);
    expect(cancelled.status).toBe(200);
    expect((await json<FleetView>(cancelled)).state).toBe('cancelled');

    const retried = await hzn.request(`/api/fleets/${fleet.id}/retry`, {
      method: 'POST',
      browser: admin,
      body: {},
    });
    expect(retried.status).toBe(200);
    // The children cancelled in flight go again (one never fanned out under the cap of 1 is not one).
    expect((await json<{ retried: string[] }>(retried)).retried.length).toBeGreaterThanOrEqual(1);

    const { entries } = await json<Audit>(await hzn.request('/api/admin/audit', { browser: admin }));
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: 'ada', action: 'fleet.created', target: fleet.id }),
        expect.objectContaining({ actor: 'ada', action: 'fleet.cancel_requested', target: fleet.id }),
        expect.objectContaining({ actor: 'ada', action: 'fleet.retry_requested', target: fleet.id }),
      ]),
    );
  });
});
