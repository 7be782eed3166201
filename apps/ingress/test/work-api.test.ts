import { randomUUID } from 'node:crypto';
import { apiWorkItemCancel, apiWorkItemCreate } from '@horizon/contracts';
import { JetStreamConnection, Publisher } from '@horizon/messaging';
import { githubDelivery, githubExamples } from '@horizon/testing';
import { createApiToken, revokeApiToken } from '../src/api/api-tokens';
import { replayDelivery } from '../src/replay';
import { IngressUnderTest, SECRETS, post, startIngress } from './harness';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, asserted field by field
type JsonBody = Record<string, any>;

describe('work API (real ingress, Postgres, NATS)', () => {
  let ingress: IngressUnderTest;
  let writer: string;
  let reader: string;

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
    ingress = await startIngress();
    writer = (
      await createApiToken(ingress.db.prisma, { name: 'writer', scopes: ['work:read', 'work:write'] })
    ).token;
    reader = (await createApiToken(ingress.db.prisma, { name: 'reader', scopes: ['work:read'] })).token;
  });
  afterAll(() => ingress.close());

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
      const revoked = await createApiToken(ingress.db.prisma, { name: 'revoked', scopes: ['work:read'] });
      expect((await api('/work-items', { token: revoked.token })).status).toBe(200);
      await revokeApiToken(ingress.db.prisma, revoked.id);
      expect((await api('/work-items', { token: revoked.token })).status).toBe(401);
      const expired = await createApiToken(ingress.db.prisma, {
        name: 'expired',
        scopes: ['work:read'],
        expiresAt: new Date(Date.now() - 1000),
      });
      expect((await api('/work-items', { token: expired.token })).status).toBe(401);
      const forbidden = await api('/work-items', {
        method: 'POST',
        token: reader,
        body: { repo: 'acme/api', title: 'x' },
      });
      expect(forbidden).toMatchObject({ status: 403, body: { error: 'token lacks scope work:write' } });
    });
  });

  it('accepts a work item: 202, its id and Location, one event on the stream; GET is 404 until the orchestrator has it', async () => {
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

    expect((await api(`/work-items/${id}`, { token: reader })).status).toBe(404);
    await ingress.db.prisma.workItem.create({
      data: { id, kind: 'implement', state: 'received', repo: 'acme/api', title: 'Add rate limiting' },
    });
    expect(await api(`/work-items/${id}`, { token: reader })).toMatchObject({
      status: 200,
      body: { id, state: 'received', repo: 'acme/api' },
    });
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

  it('lists newest first with filters and a cursor that walks every item once', async () => {
    const base = Date.now();
    const ids = Array.from({ length: 7 }, () => randomUUID());
    await ingress.db.prisma.workItem.createMany({
      data: ids.map((id, i) => ({
        id,
        kind: 'implement' as const,
        state: i % 2 ? ('queued' as const) : ('running' as const),
        repo: 'acme/list',
        title: `item ${i}`,
        createdAt: new Date(base - (i < 4 ? 0 : i) * 1000),
      })),
    });
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
    const queued = await api('/work-items?repo=acme/list&state=queued', { token: reader });
    expect(queued.body.items.map((w: { title: string }) => w.title).sort()).toEqual([
      'item 1',
      'item 3',
      'item 5',
    ]);
    expect((await api('/work-items?state=flying', { token: reader })).status).toBe(400);
    expect((await api('/work-items?cursor=garbage', { token: reader })).status).toBe(400);
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

  it('serves an OpenAPI document generated from the schemas it validates with', async () => {
    const res = await fetch(`${ingress.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as JsonBody;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/work-items',
      '/api/v1/work-items/{id}',
      '/api/v1/work-items/{id}/cancel',
    ]);
    const create = doc.components.schemas.CreateWorkItem;
    expect(create.required.sort()).toEqual(['repo', 'title']);
    expect(create.properties.kind.enum).toContain('implement');
    expect(create.additionalProperties).toBe(false);
    expect(
      doc.paths['/api/v1/work-items'].get.parameters.map((p: { name: string }) => p.name).sort(),
    ).toEqual(['cursor', 'kind', 'limit', 'repo', 'state']);
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

      const result = await replayDelivery(
        ingress.db.prisma,
        new Publisher(connection),
        'github',
        'to-replay',
      );
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
        replayDelivery(ingress.db.prisma, new Publisher(connection), 'github', 'never-seen'),
      ).rejects.toThrow(/no delivery github\/never-seen/);
    } finally {
      await connection.close();
      await ingress.close();
    }
  });
});
