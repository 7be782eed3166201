import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { ApiScope } from '@horizon/contracts';
import {
  apiWorkItemCancel,
  apiWorkItemCreate,
  apiWorkItemStart,
  ingressCreateApiToken,
  ingressListApiTokens,
  ingressReplayDelivery,
  ingressRevokeApiToken,
} from '@horizon/contracts';
import { JetStreamConnection, RpcClient } from '@horizon/messaging';
import {
  connectTestMessaging,
  createTestDatabase,
  createTestMessaging,
  githubDelivery,
  githubExamples,
  ServiceProcess,
  startServiceProcess,
  TestDatabase,
  TestMessaging,
  until,
} from '@horizon/testing';
import { IngressUnderTest, SECRETS, post, startIngress } from './harness';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, asserted field by field
type JsonBody = Record<string, any>;

/**
 * The work API as a client sees it: ingress over HTTP, the orchestrator beside it (on the same
 * database and stream prefix) answering its reads over RPC, tokens made through ingress's RPC.
 */
describe('work API (real ingress and orchestrator, Postgres, NATS)', () => {
  let db: TestDatabase;
  let messaging: TestMessaging;
  let conn: JetStreamConnection;
  let orchestrator: ServiceProcess;
  /** The orchestrator's tables, as their owner, to record items as it would. */
  let orchestratorTables: pg.Pool;
  let ingress: IngressUnderTest;
  let rpc: RpcClient;
  let writer: string;
  let reader: string;

  const createApiToken = (name: string, scopes: ApiScope[], expiresAt: Date | null = null) =>
    rpc.call(ingressCreateApiToken, { name, scopes, expiresAt: expiresAt?.toISOString() ?? null });

  const api = (
    path: string,
    init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) =>
    fetch(`${ingress.url}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }).then(async (res) => ({
      status: res.status,
      headers: res.headers,
      body: (await res.json()) as JsonBody,
    }));

  beforeAll(async () => {
    [db, messaging] = await Promise.all([createTestDatabase(), createTestMessaging()]);
    ({ conn } = await connectTestMessaging(messaging, 'work-api-test'));
    orchestrator = await startServiceProcess('orchestrator', {
      db,
      messaging,
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'work-api-')),
    });
    orchestratorTables = new pg.Pool({
      connectionString: db.url,
      max: 2,
      options: '-c search_path=orchestrator',
    });
    ingress = await startIngress({}, undefined, { db, messaging });
    rpc = new RpcClient(conn, 'work-api-test');
    writer = (await createApiToken('writer', ['work:read', 'work:write'])).token;
    reader = (await createApiToken('reader', ['work:read'])).token;
  });
  afterAll(async () => {
    await ingress?.close();
    await orchestrator?.stop();
    await orchestratorTables?.end();
    await conn?.close();
    await Promise.all([db?.drop(), messaging?.cleanup()]);
  });

  describe('tokens', () => {
    it('stores only the SHA-256 of a token', async () => {
      const rows = await ingress.db.prisma.apiToken.findMany();
      expect(rows.map((r) => r.hash)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^[0-9a-f]{64}$/)]),
      );
      expect(JSON.stringify(rows)).not.toContain(writer);
    });

    it('refuses a missing, unknown, revoked or expired token with 401, a missing scope with 403', async () => {
      const missing = await api('/work-items');
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await api('/work-items', { token: 'hzn_not-a-token' })).status).toBe(401);
      const revoked = await createApiToken('revoked', ['work:read']);
      expect((await api('/work-items', { token: revoked.token })).status).toBe(200);
      // Revoked the way the console does: over ingress's RPC, which lists it revoked from then on.
      expect(await rpc.call(ingressRevokeApiToken, { id: revoked.id })).toMatchObject({
        revoked: true,
        token: { id: revoked.id, name: 'revoked', revokedAt: expect.any(String) },
      });
      expect((await api('/work-items', { token: revoked.token })).status).toBe(401);
      expect((await rpc.call(ingressRevokeApiToken, { id: revoked.id })).revoked).toBe(false);
      const { tokens } = await rpc.call(ingressListApiTokens, {});
      expect(tokens.find((t) => t.id === revoked.id)).toMatchObject({ revokedAt: expect.any(String) });
      expect(JSON.stringify(tokens)).not.toContain(revoked.token);
      await expect(rpc.call(ingressRevokeApiToken, { id: randomUUID() })).rejects.toMatchObject({
        code: 'not_found',
      });
      const expired = await createApiToken('expired', ['work:read'], new Date(Date.now() - 1000));
      expect((await api('/work-items', { token: expired.token })).status).toBe(401);
      const forbidden = await api('/work-items', {
        method: 'POST',
        token: reader,
        body: { repo: 'acme/api', title: 'x' },
      });
      expect(forbidden).toMatchObject({ status: 403, body: { error: 'token lacks scope work:write' } });
    });

    it('answers 503 with Retry-After, not 500, while the tokens cannot be read, and lets the retry in', async () => {
      // As while Postgres restarts (e2e/test/chaos.test.ts found the 500): the lookup fails.
      await ingress.db.pool.query(`ALTER TABLE "ApiToken" RENAME TO "ApiTokenAway"`);
      let down;
      try {
        down = await api('/work-items', { token: writer });
      } finally {
        await ingress.db.pool.query(`ALTER TABLE "ApiTokenAway" RENAME TO "ApiToken"`);
      }
      expect(down).toMatchObject({
        status: 503,
        body: {
          error: 'credentials cannot be checked right now (the token store is unavailable); retry later',
        },
      });
      expect(down.headers.get('retry-after')).toBe('5');
      expect((await api('/work-items', { token: writer })).status).toBe(200);
    });
  });

  it('accepts a work item: 202, its id and Location, one event on the stream; GET answers once the orchestrator has it', async () => {
    const res = await api('/work-items', {
      method: 'POST',
      token: writer,
      body: { repo: 'acme/api', title: 'Add rate limiting', description: 'per token', blockedBy: [] },
    });
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    expect(res.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'accepted' });
    expect(res.headers.get('location')).toBe(`/api/v1/work-items/${id}`);

    const [message] = (await ingress.messages()).filter(
      (m) => m.envelope.subject === apiWorkItemCreate.subject,
    );
    const data = apiWorkItemCreate.data.parse(message!.envelope.data);
    expect(data).toMatchObject({
      workItemId: id,
      repo: 'acme/api',
      kind: 'implement',
      autoStart: true,
      priority: 5,
      delivery: { source: 'api' },
    });
    expect(data.requestedBy).toMatch(/^api-token:/);

    expect((await api(`/work-items/${randomUUID()}`, { token: reader })).status).toBe(404);
    const shown = await until(async () => {
      const res = await api(`/work-items/${id}`, { token: reader });
      return res.status === 200 ? res : null;
    }, 'the orchestrator to record the item');
    expect(shown.body).toMatchObject({ id, kind: 'implement', repo: 'acme/api', title: 'Add rate limiting' });
    // The item with its runs and blockers, as the OpenAPI document describes it; the audit
    // timeline is not in it.
    expect(shown.body).toMatchObject({ runs: expect.any(Array), blockedBy: [], blocks: [] });
    expect(Object.keys(shown.body).sort()).toEqual(
      [
        'autoStart',
        'blockedBy',
        'blocks',
        'runs',
        'branch',
        'createdAt',
        'description',
        'id',
        'kind',
        'labels',
        'ownerId',
        'parentId',
        'priority',
        'repo',
        'sourceRefs',
        'state',
        'stateEnteredAt',
        'title',
        'updatedAt',
        'waiting',
      ].sort(),
    );
  });

  it('gives a retried request with the same Idempotency-Key the same id, and one event', async () => {
    const send = () =>
      api('/work-items', {
        method: 'POST',
        token: writer,
        headers: { 'idempotency-key': 'retry-me' },
        body: { repo: 'acme/api', title: 'Once' },
      });
    const [a, b] = [await send(), await send()];
    expect([a.status, a.body.status, b.status, b.body.status]).toEqual([202, 'accepted', 202, 'duplicate']);
    expect(b.body.id).toBe(a.body.id);
    const events = (await ingress.messages()).filter(
      (m) => (m.envelope.data as { workItemId?: string }).workItemId === a.body.id,
    );
    expect(events).toHaveLength(1);
  });

  it('refuses a body that does not fit, naming the fields', async () => {
    const res = await api('/work-items', {
      method: 'POST',
      token: writer,
      body: { repo: 'not a repo', title: '', extra: 1 },
    });
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['', 'repo', 'title']);
  });

  it('refuses a NUL character anywhere in the input, naming where, and enqueues nothing', async () => {
    const before = (await ingress.messages()).length;
    const body = await api('/work-items', {
      method: 'POST',
      token: writer,
      body: { repo: 'acme/shop', title: 'fix', labels: ['ok', 'bad\u0000'] },
    });
    expect(body.status).toBe(400);
    expect(body.body).toEqual({
      error: 'invalid body',
      issues: [{ path: 'labels.1', message: expect.stringMatching(/NUL character/) }],
    });
    const query = await api('/work-items?repo=acme%00shop', { token: reader });
    expect(query.status).toBe(400);
    expect(query.body.issues).toEqual([expect.objectContaining({ path: 'repo' })]);
    expect((await ingress.messages()).length).toBe(before);
  });

  it('lists newest first with filters and a cursor that walks every item once', async () => {
    const base = Date.now();
    const ids = Array.from({ length: 7 }, () => randomUUID());
    // Recorded as the orchestrator records them (in states nothing moves them from), several
    // created in the same millisecond so the cursor must break ties by id.
    for (const [i, id] of ids.entries())
      await orchestratorTables.query(
        `INSERT INTO "WorkItem" (id, kind, state, repo, title, "createdAt", "updatedAt") VALUES ($1, 'implement', $2, 'acme/list', $3, $4, now())`,
        [id, i % 2 ? 'done' : 'cancelled', `item ${i}`, new Date(base - (i < 4 ? 0 : i) * 1000)],
      );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: JsonBody } = await api(
        `/work-items?repo=acme/list&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        { token: reader },
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((w: { id: string }) => w.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...ids].sort());
    const done = await api('/work-items?repo=acme/list&state=done', { token: reader });
    expect(done.body.items.map((w: { title: string }) => w.title).sort()).toEqual([
      'item 1',
      'item 3',
      'item 5',
    ]);
    expect((await api('/work-items?state=flying', { token: reader })).status).toBe(400);
    expect((await api('/work-items?cursor=garbage', { token: reader })).status).toBe(400);
  });

  it('answers usage rollups from the orchestrator, scoped by repository, refusing a bad grouping or since', async () => {
    const [item, run] = [randomUUID(), randomUUID()];
    await orchestratorTables.query(
      `INSERT INTO "WorkItem" (id, kind, state, repo, title, "updatedAt") VALUES ($1, 'implement', 'running', 'acme/usage', 'metered', now())`,
      [item],
    );
    await orchestratorTables.query(
      `INSERT INTO "Run" (id, "workItemId", attempt, flavour, harness, model, "deadlineAt", "inputTokens") VALUES ($1, $2, 1, 'implement', 'opencode', 'm', now(), 999)`,
      [run, item],
    );
    for (const [input, cost] of [
      [1000, '0.01'],
      [500, null],
    ] as const)
      await orchestratorTables.query(
        `INSERT INTO "ModelUsage" (id, "runId", provider, model, "inputTokens", "outputTokens", "cachedInputTokens", "cacheWriteInputTokens", reported, status, "costUsd", at)
         VALUES ($1, $2, 'openai', 'gpt-4o', $3, 10, 0, 0, true, 200, $4, now() - interval '2 days')`,
        [randomUUID(), run, input, cost],
      );
    const week = await api('/usage?by=repo&since=7d&repo=acme/usage', { token: reader });
    expect(week.status).toBe(200);
    expect(week.body.rows).toEqual([
      {
        key: 'acme/usage',
        label: null,
        runs: 1,
        requests: 2,
        inputTokens: 1500,
        outputTokens: 20,
        cachedInputTokens: 0,
        cacheWriteInputTokens: 0,
        costUsd: 0.01,
        unpricedRequests: 1,
        harnessInputTokens: 999,
        harnessOutputTokens: 0,
      },
    ]);
    expect((await api('/usage?by=repo&since=1d&repo=acme/usage', { token: reader })).body.rows).toEqual([]);
    expect((await api('/usage?by=item&repo=acme/usage', { token: reader })).body.rows[0].key).toBe(item);
    // The CLI, as a user runs it, reads the same rollup through this API.
    const horizon = (...args: string[]) =>
      promisify(execFile)(
        process.execPath,
        ['-r', '@swc-node/register', 'apps/cli/src/main.ts', 'usage', ...args, '--token', reader],
        {
          cwd: path.resolve(__dirname, '../../..'),
          env: { ...process.env, INGRESS_PORT: new URL(ingress.url).port },
        },
      );
    const json = JSON.parse(
      (await horizon('--by', 'repo', '--since', '7d', '--repo', 'acme/usage', '--json')).stdout,
    );
    expect(json.rows).toEqual(week.body.rows);
    expect((await horizon('--by', 'repo', '--repo', 'acme/usage')).stdout).toMatch(
      /^REPO +RUNS +REQUESTS +INPUT +CACHED +OUTPUT +COST +HARNESS TOKENS\nacme\/usage +1 +2 +1\.5K +0 +20 +\$0\.01 \+ 1 unpriced +999\n$/,
    );
    expect((await api('/usage?by=team', { token: reader })).status).toBe(400);
    expect((await api('/usage?since=yesterday', { token: reader })).status).toBe(400);
    expect((await api('/usage')).status).toBe(401);
  });

  /** Runs on `repo`, one per title, each of which met the missing lint script; their ids, oldest last. */
  async function runsMissingLint(repo: string, titles: string[]): Promise<string[]> {
    const runs: string[] = [];
    for (const title of titles) {
      const [item, run] = [randomUUID(), randomUUID()];
      runs.push(run);
      await orchestratorTables.query(
        `INSERT INTO "WorkItem" (id, kind, state, repo, title, "updatedAt") VALUES ($1, 'implement', 'done', $2, $3, now())`,
        [item, repo, title],
      );
      await orchestratorTables.query(
        `INSERT INTO "Run" (id, "workItemId", attempt, flavour, harness, model, "deadlineAt") VALUES ($1, $2, 1, 'implement', 'opencode', 'm', now())`,
        [run, item],
      );
      await orchestratorTables.query(
        `INSERT INTO "RunFriction" ("runId", signature, kind, summary, count, evidence, repo, "recordedAt")
         VALUES ($1, 'missing_script:lint', 'missing_script', '\`npm run lint\`: the script "lint" is not declared', 1, '{4}', $2, now() - interval '1 hour' * $3)`,
        [run, repo, runs.length],
      );
    }
    return runs;
  }

  it('answers the papercuts runs met, grouped across runs, through the API and the CLI, refusing a bad kind', async () => {
    const repo = 'acme/friction';
    const runs = await runsMissingLint(repo, ['add discounts', 'add a subtotal']);
    const res = await api(`/friction?repo=${repo}&since=7d&minRuns=2`, { token: reader });
    expect(res.status).toBe(200);
    expect(res.body.groups).toEqual([
      expect.objectContaining({
        kind: 'missing_script',
        signature: 'missing_script:lint',
        repo,
        runs: 2,
        occurrences: 2,
        examples: [
          expect.objectContaining({ runId: runs[0], title: 'add discounts', evidence: [4] }),
          expect.objectContaining({ runId: runs[1], title: 'add a subtotal', evidence: [4] }),
        ],
      }),
    ]);
    expect((await api(`/friction?repo=${repo}&minRuns=3`, { token: reader })).body.groups).toEqual([]);
    expect((await api(`/friction?repo=${repo}&kind=command_failed`, { token: reader })).body.groups).toEqual(
      [],
    );
    const refused = await api('/friction?kind=papercut', { token: reader });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('kind');
    expect((await api('/friction?minRuns=0', { token: reader })).status).toBe(400);
    expect((await api('/friction')).status).toBe(401);

    const horizon = (...args: string[]) =>
      promisify(execFile)(
        process.execPath,
        ['-r', '@swc-node/register', 'apps/cli/src/main.ts', 'friction', ...args, '--token', reader],
        {
          cwd: path.resolve(__dirname, '../../..'),
          env: { ...process.env, INGRESS_PORT: new URL(ingress.url).port },
        },
      );
    expect(JSON.parse((await horizon('--repo', repo, '--json')).stdout).groups).toEqual(res.body.groups);
    expect((await horizon('--repo', repo, '--min-runs', '2')).stdout).toMatch(
      new RegExp(
        `^RUNS +TIMES +KIND +PAPERCUT +REPO +LATEST\n2 +2 +missing_script +\`npm run lint\`: the script "lint" is not declared +acme/friction +add discounts \\(${runs[0]!.slice(0, 8)}\\) line 5\n$`,
      ),
    );
    await expect(horizon('--kind', 'papercut')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('one of command_failed'),
    });
  });

  it('starts a retro over the papercuts, once per Idempotency-Key, and refuses one with nothing to fix', async () => {
    const repo = 'acme/retro-api';
    await runsMissingLint(repo, ['add coupons']);
    const ask = (body: unknown, key?: string) =>
      api('/retros', {
        token: writer,
        method: 'POST',
        body,
        ...(key ? { headers: { 'idempotency-key': key } } : {}),
      });
    const first = await ask({ repo, since: '7d' }, 'weekly-retro-49');
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: expect.any(String), papercuts: 1, rejected: [] });
    expect(first.headers.get('location')).toBe(`/api/v1/work-items/${first.body.id}`);
    expect((await ask({ repo, since: '7d' }, 'weekly-retro-49')).body.id).toBe(first.body.id);
    const item = await api(`/work-items/${first.body.id}`, { token: reader });
    expect(item.body).toMatchObject({ kind: 'retro', repo });
    expect(item.body.description).toContain('`missing_script:lint`');

    const smooth = await ask({ repo: 'acme/smooth', since: '7d' });
    expect(smooth.status).toBe(409);
    expect(smooth.body.error).toContain('no run on acme/smooth met a papercut');
    expect((await ask({ repo: 'not a repo' })).status).toBe(400);
    expect((await ask({ repo, since: 'last week' })).status).toBe(400);
    expect((await api('/retros', { token: reader, method: 'POST', body: { repo } })).status).toBe(403);

    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', '@swc-node/register', 'apps/cli/src/main.ts', 'retro', '--repo', repo, '--token', writer],
      {
        cwd: path.resolve(__dirname, '../../..'),
        env: { ...process.env, INGRESS_PORT: new URL(ingress.url).port },
      },
    );
    expect(stdout).toMatch(/^retro [0-9a-f-]{36} queued on acme\/retro-api with 1 papercut\(s\)\n/);
  });

  it('answers how a repository’s runs go over time, through the API and the CLI', async () => {
    const repo = 'acme/trends';
    const [item, run] = [randomUUID(), randomUUID()];
    await orchestratorTables.query(
      `INSERT INTO "WorkItem" (id, kind, state, repo, title, "updatedAt") VALUES ($1, 'implement', 'failed', $2, 'flaky', now())`,
      [item, repo],
    );
    await orchestratorTables.query(
      `INSERT INTO "Run" (id, "workItemId", attempt, flavour, harness, model, "deadlineAt", "finishedAt", outcome, "toolCalls") VALUES ($1, $2, 1, 'implement', 'opencode', 'm', now(), now(), 'failed', 6)`,
      [run, item],
    );
    const res = await api(`/trends?repo=${repo}&bucket=day&since=7d`, { token: reader });
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([
      expect.objectContaining({ repo, runs: 1, items: 1, toolCallsPerRun: 6, frictionPerRun: 0, merged: 0 }),
    ]);
    expect((await api('/trends?bucket=month', { token: reader })).status).toBe(400);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        'apps/cli/src/main.ts',
        'trends',
        '--repo',
        repo,
        '--bucket',
        'day',
        '--token',
        reader,
      ],
      {
        cwd: path.resolve(__dirname, '../../..'),
        env: { ...process.env, INGRESS_PORT: new URL(ingress.url).port },
      },
    );
    expect(stdout).toMatch(
      /^REPO +DAY +RUNS +RUNS\/ITEM +TOOLS\/RUN .*\nacme\/trends +\d{4}-\d\d-\d\d +1 +1 +6 +0 +0 +0 +0 +—\n$/,
    );
  });

  it('answers 503 with Retry-After while the orchestrator does not answer its reads', async () => {
    await orchestrator.stop();
    try {
      const res = await api('/work-items', { token: reader });
      expect(res).toMatchObject({ status: 503, body: { error: expect.stringMatching(/unavailable/) } });
      expect(res.headers.get('retry-after')).toBe('5');
      expect((await api(`/work-items/${randomUUID()}`, { token: reader })).status).toBe(503);
    } finally {
      await orchestrator.start();
    }
    expect((await api('/work-items', { token: reader })).status).toBe(200);
  });

  it('accepts a cancellation as an event', async () => {
    const id = randomUUID();
    const res = await api(`/work-items/${id}/cancel`, {
      method: 'POST',
      token: writer,
      body: { reason: 'not needed' },
    });
    expect(res).toMatchObject({ status: 202, body: { id, status: 'accepted' } });
    const cancel = (await ingress.messages()).find((m) => m.envelope.subject === apiWorkItemCancel.subject);
    expect(apiWorkItemCancel.data.parse(cancel!.envelope.data)).toMatchObject({
      workItemId: id,
      reason: 'not needed',
    });
    expect(
      (await api('/work-items/not-a-uuid/cancel', { method: 'POST', token: writer, body: {} })).status,
    ).toBe(400);
  });

  it('refuses extra minutes for a budget answer that are not a positive whole number, saying why', async () => {
    const answer = (body: Record<string, unknown>) =>
      api(`/work-items/${randomUUID()}/budget`, { method: 'POST', token: writer, body });
    expect(await answer({ action: 'continue', extraMinutes: -5 })).toMatchObject({
      status: 400,
      body: { issues: [{ path: 'extraMinutes', message: 'extraMinutes must be more than 0' }] },
    });
    expect(await answer({ action: 'continue', extraMinutes: 1.5 })).toMatchObject({
      status: 400,
      body: { issues: [{ path: 'extraMinutes', message: 'extraMinutes must be a whole number of minutes' }] },
    });
    expect(await answer({ action: 'stop', extraMinutes: 5 })).toMatchObject({
      status: 400,
      body: { issues: [{ message: 'stop takes no extra amount' }] },
    });
    // Minutes alone are an amount: the body passes, and the item is looked up.
    expect((await answer({ action: 'continue', extraMinutes: 15 })).status).toBe(404);
  });

  it('starts a planned item through the API and the CLI: 202 and one event; 404, 409, 403 and 400 refuse', async () => {
    const created = await api('/work-items', {
      method: 'POST',
      token: writer,
      body: { repo: 'acme/start', title: 'Add a lint script', autoStart: false },
    });
    const id = created.body.id as string;
    await until(
      async () => (await api(`/work-items/${id}`, { token: reader })).body.state === 'planned',
      'the orchestrator to record the item planned',
    );
    expect((await api(`/work-items/${id}/start`, { method: 'POST', token: reader })).status).toBe(403);
    expect(await api(`/work-items/${randomUUID()}/start`, { method: 'POST', token: writer })).toMatchObject({
      status: 404,
      body: { error: 'no such work item' },
    });
    expect((await api('/work-items/not-a-uuid/start', { method: 'POST', token: writer })).status).toBe(400);

    // The CLI, as a user runs it, starts it through this API.
    const horizon = (...args: string[]) =>
      promisify(execFile)(
        process.execPath,
        ['-r', '@swc-node/register', 'apps/cli/src/main.ts', 'work', 'start', ...args, '--token', writer],
        {
          cwd: path.resolve(__dirname, '../../..'),
          env: { ...process.env, INGRESS_PORT: new URL(ingress.url).port },
        },
      );
    expect((await horizon(id)).stdout).toBe(
      `${id}  start accepted: it moves from planned to queued, and its run starts when Horizon has room\n`,
    );
    const starts = (await ingress.messages()).filter((m) => m.envelope.subject === apiWorkItemStart.subject);
    expect(starts).toHaveLength(1);
    expect(apiWorkItemStart.data.parse(starts[0]!.envelope.data)).toMatchObject({
      workItemId: id,
      requestedBy: expect.stringMatching(/^api-token:/),
      delivery: { source: 'api', event: 'work_item_start' },
    });
    const moved = await until(async () => {
      const item = await api(`/work-items/${id}`, { token: reader });
      return item.body.state !== 'planned' ? item.body : null;
    }, 'the orchestrator to start the item');

    const again = await api(`/work-items/${id}/start`, { method: 'POST', token: writer, body: {} });
    expect(again).toMatchObject({
      status: 409,
      body: {
        error: expect.stringMatching(
          /^the work item is (queued|provisioning), not planned: only a planned item waits to be started$/,
        ),
      },
    });
    expect(moved.state).toMatch(/^(queued|provisioning)$/);
    await expect(horizon(id, '--json')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('409 the work item is'),
    });
    expect(
      (await ingress.messages()).filter((m) => m.envelope.subject === apiWorkItemStart.subject),
    ).toHaveLength(1);
  });

  it('manages fleets through the orchestrator: created, read, exported as CSV, cancelled; refusals with their reasons', async () => {
    const body = {
      title: 'Bump the linter',
      prompt: 'Bump eslint.',
      selector: { repos: ['acme/fleet-a', 'acme/fleet-b'] },
      cap: 1,
    };
    expect((await api('/fleets', { method: 'POST', token: reader, body })).status).toBe(403);
    const twice = await api('/fleets', {
      method: 'POST',
      token: writer,
      body: { ...body, selector: { repos: ['acme/x', 'acme/x'] } },
    });
    expect(twice).toMatchObject({
      status: 400,
      body: { error: 'acme/x is listed twice; list each repository once' },
    });
    expect(
      (await api('/fleets', { method: 'POST', token: writer, body: { ...body, selector: {} } })).status,
    ).toBe(400);
    const created = await api('/fleets', { method: 'POST', token: writer, body });
    expect(created).toMatchObject({
      status: 201,
      body: { title: 'Bump the linter', cap: 1, state: 'running' },
    });
    const id = created.body.id as string;
    expect((await api('/fleets', { token: reader })).body.fleets.map((f: { id: string }) => f.id)).toContain(
      id,
    );
    const shown = await api(`/fleets/${id}`, { token: reader });
    expect(shown.body.children.map((c: { repo: string }) => c.repo)).toEqual([
      'acme/fleet-a',
      'acme/fleet-b',
    ]);
    const csv = await fetch(`${ingress.url}/api/v1/fleets/${id}/results?format=csv`, {
      headers: { authorization: `Bearer ${reader}` },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'repo,state,pull_request,verification,duration_ms,input_tokens,output_tokens,attempts,reason',
    );
    expect(lines).toHaveLength(3);
    expect((await api(`/fleets/${id}/cancel`, { method: 'POST', token: writer })).body.state).toBe(
      'cancelled',
    );
    expect((await api('/fleets/00000000-0000-4000-8000-000000000000', { token: reader })).status).toBe(404);
    expect((await api('/fleets/not-a-uuid', { token: reader })).status).toBe(400);
  });

  it('serves an OpenAPI document generated from the schemas it validates with', async () => {
    const res = await fetch(`${ingress.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as JsonBody;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/fleets',
      '/api/v1/fleets/{id}',
      '/api/v1/fleets/{id}/cancel',
      '/api/v1/fleets/{id}/results',
      '/api/v1/fleets/{id}/retry',
      '/api/v1/friction',
      '/api/v1/retros',
      '/api/v1/schedules',
      '/api/v1/schedules/{id}',
      '/api/v1/schedules/{id}/pause',
      '/api/v1/schedules/{id}/resume',
      '/api/v1/trends',
      '/api/v1/triggers',
      '/api/v1/triggers/{name}',
      '/api/v1/usage',
      '/api/v1/work-items',
      '/api/v1/work-items/{id}',
      '/api/v1/work-items/{id}/budget',
      '/api/v1/work-items/{id}/cancel',
      '/api/v1/work-items/{id}/start',
    ]);
    const create = doc.components.schemas.CreateWorkItem;
    expect(create.required.sort()).toEqual(['repo', 'title']);
    expect(create.properties.kind.enum).toContain('implement');
    expect(create.additionalProperties).toBe(false);
    expect(
      doc.paths['/api/v1/work-items'].get.parameters.map((p: { name: string }) => p.name).sort(),
    ).toEqual(['cursor', 'kind', 'limit', 'repo', 'state']);
    const trigger = doc.components.schemas.CreateTrigger;
    expect(trigger.required.sort()).toEqual(['name', 'repo']);
    expect(trigger.properties.format.enum).toEqual(['horizon', 'sentry']);
  });
});

describe('replaying a recorded delivery', () => {
  it('publishes the recorded envelope again under a new id, caused by the original', async () => {
    const ingress = await startIngress();
    const connection = await JetStreamConnection.connect({
      natsUrl: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
      prefix: (ingress.app.get(JetStreamConnection) as JetStreamConnection).naming.prefix,
      name: 'replay-test',
    });
    try {
      const [opened] = githubExamples('pull_request').filter((p) => p.action === 'opened');
      const { rawBody, headers } = githubDelivery('pull_request', opened, SECRETS.github, 'to-replay');
      expect((await post(`${ingress.url}/webhooks/github`, rawBody, headers)).status).toBe(202);
      await ingress.flushRecords();

      const rpc = new RpcClient(connection, 'replay-test');
      const result = await rpc.call(ingressReplayDelivery, { source: 'github', deliveryId: 'to-replay' });
      expect(result.envelopeId).toMatch(/^github:to-replay:replay:[0-9a-f-]{36}$/);
      const messages = await ingress.messages();
      const [original, replay] = messages.filter((m) => m.envelope.id.startsWith('github:to-replay'));
      expect(replay!.envelope).toMatchObject({
        id: result.envelopeId,
        causationId: 'github:to-replay',
        correlationId: original!.envelope.correlationId,
        subject: original!.envelope.subject,
      });
      expect(replay!.envelope.data).toEqual(original!.envelope.data);
      await expect(
        rpc.call(ingressReplayDelivery, { source: 'github', deliveryId: 'never-seen' }),
      ).rejects.toMatchObject({
        code: 'not_found',
        message: expect.stringMatching(/no delivery github\/never-seen/),
      });
    } finally {
      await connection.close();
      await ingress.close();
    }
  });
});
