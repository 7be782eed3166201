import { randomUUID } from 'node:crypto';
import type { FrictionView, RetroStarted, TrendsView } from '../src/shared/console-api';
import { ConsoleUnderTest, type Browser } from './support/console-under-test';

type Audit = { entries: { actor: string; action: string; target: string | null }[] };

/**
 * Friction in the console over real HTTP and the real orchestrator (its own process, on Postgres
 * and JetStream): each person sees the papercuts of their repositories, and members start retros.
 */
describe('console friction and retros', () => {
  let hzn: ConsoleUnderTest;
  let admin: Browser;
  let memberOfA: Browser;
  let viewerOfA: Browser;
  const suffix = randomUUID().slice(0, 6);
  const [a, b] = [`acme/xa-${suffix}`, `acme/xb-${suffix}`];
  const json = async <T>(res: Response) => (await res.json()) as T;

  /** A run on `repo` that met the missing lint script, as the orchestrator records it. */
  async function runMissingLint(repo: string): Promise<string> {
    const [item, run] = [randomUUID(), randomUUID()];
    const as = 'orchestrator';
    await hzn.query(
      `INSERT INTO "WorkItem" (id, kind, state, repo, title, "updatedAt") VALUES ($1, 'implement', 'done', $2, 'Add discounts', now())`,
      [item, repo],
      as,
    );
    await hzn.query(
      `INSERT INTO "Run" (id, "workItemId", attempt, flavour, harness, model, "deadlineAt", "finishedAt", "toolCalls") VALUES ($1, $2, 1, 'implement', 'opencode', 'm', now(), now(), 12)`,
      [run, item],
      as,
    );
    await hzn.query(
      `INSERT INTO "RunFriction" ("runId", signature, kind, summary, count, evidence, repo, "recordedAt")
       VALUES ($1, 'missing_script:lint', 'missing_script', 'npm run lint: the script "lint" is not declared', 1, '{4}', $2, now())`,
      [run, repo],
      as,
    );
    return run;
  }

  beforeAll(async () => {
    hzn = await ConsoleUnderTest.start();
    [admin, memberOfA, viewerOfA] = await Promise.all([
      hzn.signIn('ada'),
      hzn.signIn('grace', 'member', a),
      hzn.signIn('linus', 'viewer', a),
    ]);
    await runMissingLint(a);
    await runMissingLint(b);
  }, 120_000);
  afterAll(async () => {
    await hzn?.stop();
  });

  const friction = async (browser: Browser, query = '') =>
    json<FrictionView>(await hzn.request(`/api/friction${query}`, { browser }));

  it('shows each person the papercuts of their repositories, and where they may start a retro', async () => {
    const mine = await friction(memberOfA);
    expect(mine.groups.map((g) => [g.repo, g.signature, g.runs])).toEqual([[a, 'missing_script:lint', 1]]);
    expect(mine.groups[0]!.examples[0]).toMatchObject({ title: 'Add discounts', evidence: [4] });
    expect(mine.retroRepos).toEqual([a]);
    expect((await friction(viewerOfA)).retroRepos).toEqual([]);
    expect((await friction(memberOfA, `?repo=${b}`)).groups).toEqual([]);
    const all = await friction(admin, '?days=7');
    expect(all.groups.map((g) => g.repo)).toEqual(expect.arrayContaining([a, b]));
    expect((await friction(admin, '?minRuns=2')).groups.filter((g) => g.repo === a)).toEqual([]);
    expect((await hzn.request('/api/friction?kind=papercut', { browser: admin })).status).toBe(400);
    const trends = await json<TrendsView>(await hzn.request('/api/trends', { browser: memberOfA }));
    expect(trends.rows.map((r) => [r.repo, r.runs, r.toolCallsPerRun, r.frictionPerRun])).toEqual([
      [a, 1, 12, 1],
    ]);
  });

  it('lets a member start a retro on their repository, audited, and says why when it cannot', async () => {
    const start = (browser: Browser, body: unknown) =>
      hzn.request('/api/retros', { method: 'POST', browser, body });
    const started = await start(memberOfA, { repo: a, days: 7 });
    expect(started.status).toBe(201);
    const retro = await json<RetroStarted>(started);
    expect(retro).toMatchObject({ papercuts: 1, rejected: [] });
    const item = await hzn.request(`/api/work-items/${retro.workItemId}`, { browser: memberOfA });
    expect(await json<{ workItem: { kind: string; repo: string } }>(item)).toMatchObject({
      workItem: { kind: 'retro', repo: a },
    });

    const elsewhere = await start(memberOfA, { repo: b });
    expect(elsewhere.status).toBe(403);
    expect((await json<{ message: string }>(elsewhere)).message).toBe(
      `starting a retro needs the member role in ${b}; ask an admin of the repository for it`,
    );
    const smooth = await start(admin, { repo: `acme/smooth-${suffix}` });
    expect(smooth.status).toBe(409);
    expect((await json<{ message: string }>(smooth)).message).toContain('met a papercut');
    expect((await start(admin, { repo: 'no slash' })).status).toBe(400);

    const { entries } = await json<Audit>(await hzn.request('/api/admin/audit', { browser: admin }));
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: 'grace', action: 'retro.started', target: retro.workItemId }),
      ]),
    );
  });
});
