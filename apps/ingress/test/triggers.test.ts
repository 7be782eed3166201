import { execFile } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingressCreateApiToken, triggerFired } from '@horizon/contracts';
import { JetStreamConnection, RpcClient } from '@horizon/messaging';
import {
  connectTestMessaging,
  createTestDatabase,
  createTestMessaging,
  sentryDelivery,
  sentryIssueAlert,
  ServiceProcess,
  startServiceProcess,
  TestDatabase,
  TestMessaging,
  until,
} from '@horizon/testing';
import { IngressUnderTest, post, startIngress } from './harness';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, asserted field by field
type JsonBody = Record<string, any>;

/** A sender's side of X-Horizon-Signature, written from the documented scheme (not ingress's code). */
function signed(secret: string, payload: unknown, t = Math.floor(Date.now() / 1000), deliveryId?: string) {
  const rawBody = Buffer.from(JSON.stringify(payload));
  const v1 = createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex');
  return {
    rawBody,
    headers: {
      'content-type': 'application/json',
      'x-horizon-signature': `t=${t},v1=${v1}`,
      ...(deliveryId ? { 'x-horizon-delivery': deliveryId } : {}),
    },
  };
}

const alert = { action: 'firing', alert: { name: 'checkout latency', service: 'checkout', p99: 2400 } };

/**
 * Webhook triggers end to end: defined through the work API, deliveries signed over real HTTP
 * into ingress, the orchestrator beside it (same database and stream prefix) creating the item.
 */
describe('webhook triggers (real ingress and orchestrator, Postgres, NATS)', () => {
  let db: TestDatabase;
  let messaging: TestMessaging;
  let conn: JetStreamConnection;
  let orchestrator: ServiceProcess;
  let ingress: IngressUnderTest;
  let admin: string;
  let worker: string;
  let secret: string;
  const sentrySecret = 'sentry-client-secret-0123456789abcdef';

  const api = (route: string, init: { method?: string; token?: string; body?: unknown } = {}) =>
    fetch(`${ingress.url}/api/v1${route}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }).then(async (res) => ({
      status: res.status,
      body: (res.status === 204 ? {} : await res.json()) as JsonBody,
    }));
  const deliver = (name: string, d: { rawBody: Buffer; headers: Record<string, string> }) =>
    post(`${ingress.url}/webhooks/generic/${name}`, d.rawBody, d.headers);
  const firings = async () =>
    (await ingress.messages()).filter((m) => m.envelope.subject === triggerFired.subject);
  const itemsIn = async (repo: string) =>
    (await api(`/work-items?repo=${encodeURIComponent(repo)}`, { token: worker })).body.items as JsonBody[];

  beforeAll(async () => {
    [db, messaging] = await Promise.all([createTestDatabase(), createTestMessaging()]);
    ({ conn } = await connectTestMessaging(messaging, 'triggers-test'));
    orchestrator = await startServiceProcess('orchestrator', {
      db,
      messaging,
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'triggers-')),
    });
    ingress = await startIngress({}, undefined, { db, messaging });
    const rpc = new RpcClient(conn, 'triggers-test');
    const token = (name: string, scopes: ('work:read' | 'triggers:manage')[]) =>
      rpc.call(ingressCreateApiToken, { name, scopes, expiresAt: null }).then((t) => t.token);
    [admin, worker] = await Promise.all([
      token('admin', ['triggers:manage']),
      token('worker', ['work:read']),
    ]);
    const created = await api('/triggers', {
      method: 'POST',
      token: admin,
      body: {
        name: 'latency',
        repo: 'acme/checkout',
        filter: { '==': [{ var: 'action' }, 'firing'] },
        titleTemplate: 'Latency alert on {{alert.service}}',
        promptTemplate: 'p99 of {{alert.service}} is {{alert.p99}} ms ({{alert.name}}). Find out why.',
        labels: ['alert'],
      },
    });
    expect(created.status).toBe(201);
    secret = created.body.secret;
  });
  afterAll(async () => {
    await ingress?.close();
    await orchestrator?.stop();
    await conn?.close();
    await Promise.all([db?.drop(), messaging?.cleanup()]);
  });

  describe('management', () => {
    it('shows the generated secret once and keeps it sealed', async () => {
      expect(secret).toMatch(/^hzn_whsec_/);
      const rows = await ingress.db.prisma.webhookTrigger.findMany();
      expect(rows.map((r) => r.name)).toContain('latency');
      expect(JSON.stringify(rows)).not.toContain(secret);
      const listed = await api('/triggers', { token: admin });
      expect(listed.status).toBe(200);
      expect(listed.body.triggers).toEqual([
        expect.objectContaining({ name: 'latency', format: 'horizon', path: '/webhooks/generic/latency' }),
      ]);
      expect(JSON.stringify(listed.body)).not.toContain(secret);
    });

    it('needs the triggers:manage scope', async () => {
      expect(await api('/triggers', { token: worker })).toMatchObject({
        status: 403,
        body: { error: 'token lacks scope triggers:manage' },
      });
    });

    it('refuses a prompt reading no field, a broken template, a bad filter and a taken name, saying why', async () => {
      const attempt = (body: JsonBody) =>
        api('/triggers', {
          method: 'POST',
          token: admin,
          body: { name: 'bad', repo: 'acme/x', titleTemplate: 'T', promptTemplate: 'P {{a}}', ...body },
        });
      expect(await attempt({ promptTemplate: 'always the same' })).toMatchObject({
        status: 400,
        body: { error: expect.stringContaining('promptTemplate references no payload field') },
      });
      expect(await attempt({ titleTemplate: 'Alert {{#a}}' })).toMatchObject({
        status: 400,
        body: { error: expect.stringContaining('titleTemplate is not a valid Mustache template') },
      });
      expect(await attempt({ filter: { nope: [1] } })).toMatchObject({
        status: 400,
        body: { error: expect.stringContaining('filter cannot be evaluated') },
      });
      expect(await attempt({ format: 'sentry' })).toMatchObject({
        status: 400,
        body: { error: expect.stringContaining('client secret') },
      });
      expect(await attempt({ name: 'latency' })).toMatchObject({ status: 409 });
    });
  });

  it('starts a work item from a signed delivery, rendered from the payload and naming the trigger', async () => {
    const res = await deliver('latency', signed(secret, alert, undefined, 'alert-1'));
    expect(res).toMatchObject({ status: 202, body: { status: 'accepted', id: 'trigger:latency:alert-1' } });
    const [firing] = (await firings()).filter((m) => m.envelope.id === 'trigger:latency:alert-1');
    const data = triggerFired.data.parse(firing!.envelope.data);
    const item = await until(
      async () => (await itemsIn('acme/checkout')).find((i) => i.id === data.workItemId) ?? null,
      'the orchestrator to create the item',
    );
    expect(item).toMatchObject({
      kind: 'implement',
      title: 'Latency alert on checkout',
      description: 'p99 of checkout is 2400 ms (checkout latency). Find out why.',
      labels: ['alert'],
      sourceRefs: { webhookTrigger: { name: 'latency', deliveryId: 'latency:alert-1' } },
    });
    expect(item.state).not.toBe('failed');
  });

  it('processes a replayed delivery once: the same delivery id, or the same signature and timestamp', async () => {
    const t = Math.floor(Date.now() / 1000);
    const payload = { ...alert, alert: { ...alert.alert, service: 'replayed' } };
    const first = await deliver('latency', signed(secret, payload, t));
    const again = await deliver('latency', signed(secret, payload, t));
    expect([first.status, first.body.status, again.status, again.body.status]).toEqual([
      202,
      'accepted',
      202,
      'duplicate',
    ]);
    expect(again.body.id).toBe(first.body.id);
    const byId = await deliver('latency', signed(secret, alert, t + 1, 'alert-1'));
    expect(byId.body.status).toBe('duplicate');
    await until(
      async () => ((await itemsIn('acme/checkout')).some((i) => i.title.includes('replayed')) ? true : null),
      'the replayed item',
    );
    const items = await itemsIn('acme/checkout');
    expect(items.filter((i) => i.title.includes('replayed'))).toHaveLength(1);
    expect(items.filter((i) => i.sourceRefs.webhookTrigger?.deliveryId === 'latency:alert-1')).toHaveLength(
      1,
    );
  });

  it('refuses a forged, stale or unsigned delivery with 401 and the check that failed, and starts nothing', async () => {
    const before = (await firings()).length;
    const forged = await deliver('latency', signed('not-the-secret', alert, undefined, 'forged'));
    expect(forged).toMatchObject({
      status: 401,
      body: { error: 'unauthorized', reason: expect.stringContaining('does not match') },
    });
    const stale = await deliver('latency', signed(secret, alert, Math.floor(Date.now() / 1000) - 600, 's'));
    expect(stale).toMatchObject({
      status: 401,
      body: { reason: expect.stringMatching(/is 60\d s old, outside the 300 s window/) },
    });
    const unsigned = await post(`${ingress.url}/webhooks/generic/latency`, JSON.stringify(alert), {
      'content-type': 'application/json',
    });
    expect(unsigned).toMatchObject({ status: 401, body: { reason: 'missing header x-horizon-signature' } });
    const garbled = signed(secret, alert);
    garbled.headers['x-horizon-signature'] = 'sha256=abc';
    expect((await deliver('latency', garbled)).body.reason).toMatch(/must read t=<unix seconds>,v1=/);
    expect((await firings()).length).toBe(before);
    await ingress.flushRecords();
    const { rows } = await ingress.db.pool.query(
      `SELECT outcome, detail FROM "InboxDelivery" WHERE source = 'trigger' AND "deliveryId" = 'latency:forged'`,
    );
    expect(rows).toEqual([{ outcome: 'refused', detail: expect.stringContaining('does not match') }]);
  });

  it('answers a filtered-out delivery 202 "ignored: filter" and starts nothing', async () => {
    const before = (await firings()).length;
    const res = await deliver('latency', signed(secret, { ...alert, action: 'resolved' }, undefined, 'ok-1'));
    expect(res).toMatchObject({
      status: 202,
      body: { status: 'ignored', reason: expect.stringMatching(/^filter: /) },
    });
    expect((await firings()).length).toBe(before);
  });

  it('answers 404 for a trigger that does not exist, or no longer does', async () => {
    expect(await deliver('nobody', signed(secret, alert))).toMatchObject({
      status: 404,
      body: { reason: expect.stringContaining('no trigger named nobody') },
    });
    await api('/triggers', {
      method: 'POST',
      token: admin,
      body: { name: 'short-lived', repo: 'acme/x', titleTemplate: 'T', promptTemplate: '{{a}}' },
    });
    expect((await api('/triggers/short-lived', { method: 'DELETE', token: admin })).status).toBe(204);
    expect((await api('/triggers/short-lived', { method: 'DELETE', token: admin })).status).toBe(404);
    expect((await deliver('short-lived', signed(secret, alert))).status).toBe(404);
  });

  it('answers 503 with Retry-After, naming the missing key, when a trigger secret is sealed under a key this server lacks', async () => {
    const created = await api('/triggers', {
      method: 'POST',
      token: admin,
      body: { name: 'orphaned', repo: 'acme/x', titleTemplate: 'T', promptTemplate: '{{a}}' },
    });
    // As after a rotation that dropped the old key too early: the row names a key not in the keyring.
    await ingress.db.prisma.webhookTrigger.update({
      where: { name: 'orphaned' },
      data: { secretKeyId: 'retired-2025' },
    });
    const before = (await firings()).length;
    const res = await deliver('orphaned', signed(created.body.secret as string, { a: 1 }));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(res.body).toMatchObject({
      error: 'source unavailable',
      reason: expect.stringContaining('key retired-2025'),
    });
    expect((await firings()).length).toBe(before);
  });
  it('is managed with horizon trigger create|list|delete, the secret printed once', async () => {
    const horizon = (...args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(
          process.execPath,
          ['-r', '@swc-node/register', path.resolve(__dirname, '../../cli/src/main.ts'), 'trigger', ...args],
          {
            env: { ...process.env, INGRESS_PORT: new URL(ingress.url).port, HORIZON_API_TOKEN: admin },
            timeout: 30_000,
          },
          (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
        ),
      );
    const made = await horizon(
      'create',
      ...[
        '--name',
        'cli-made',
        '--repo',
        'acme/cli',
        '--title',
        'From {{source}}',
        '--prompt',
        'Look at {{source}}',
      ],
    );
    expect(made).toMatchObject({ code: 0, stderr: expect.stringContaining('/webhooks/generic/cli-made') });
    const cliSecret = made.stdout.trim();
    expect(await deliver('cli-made', signed(cliSecret, { source: 'cli' }))).toMatchObject({
      status: 202,
      body: { status: 'accepted' },
    });
    const listed = await horizon('list', '--json');
    expect(JSON.parse(listed.stdout).map((t: JsonBody) => t.name)).toContain('cli-made');
    expect(listed.stdout).not.toContain(cliSecret);
    expect(await horizon('delete', 'cli-made')).toMatchObject({ code: 0, stdout: 'deleted cli-made\n' });
    expect(await horizon('delete', 'cli-made')).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('no trigger named cli-made'),
    });
  }, 120_000);

  describe('Sentry issue alerts (built in)', () => {
    beforeAll(async () => {
      const created = await api('/triggers', {
        method: 'POST',
        token: admin,
        body: { name: 'sentry-frontend', format: 'sentry', repo: 'acme/frontend', secret: sentrySecret },
      });
      expect(created).toMatchObject({ status: 201, body: { secret: sentrySecret } });
    });

    it("starts an item from Sentry's documented payload with its real signature header", async () => {
      const requestId = randomUUID();
      const res = await deliver(
        'sentry-frontend',
        sentryDelivery(sentryIssueAlert(), sentrySecret, requestId),
      );
      expect(res).toMatchObject({ status: 202, body: { status: 'accepted' } });
      const item = await until(
        async () =>
          (await itemsIn('acme/frontend')).find(
            (i) => i.sourceRefs.webhookTrigger?.deliveryId === `sentry-frontend:${requestId}`,
          ) ?? null,
        'the Sentry item',
      );
      expect(item.title).toBe('Sentry: ReferenceError: heck is not defined');
      expect(item.description).toContain('The Sentry issue alert "Very Important Alert Rule!" fired');
      expect(item.description).toContain(
        'https://sentry.io/organizations/test-org/issues/1117540176/events/e4874d664c3540c1a32eab185f12c5ab/',
      );
    });

    it('refuses a wrong signature or a stale timestamp, and ignores resources other than issue alerts', async () => {
      const forged = await deliver(
        'sentry-frontend',
        sentryDelivery(sentryIssueAlert(), 'wrong', randomUUID()),
      );
      expect(forged).toMatchObject({
        status: 401,
        body: { reason: expect.stringContaining('sentry-hook-signature') },
      });
      const old = Math.floor(Date.now() / 1000) - 3600;
      const stale = sentryDelivery(sentryIssueAlert(), sentrySecret, randomUUID(), 'event_alert', old);
      expect((await deliver('sentry-frontend', stale)).body.reason).toMatch(/outside the 300 s window/);
      const issue = sentryDelivery(sentryIssueAlert(), sentrySecret, randomUUID(), 'issue');
      expect(await deliver('sentry-frontend', issue)).toMatchObject({
        status: 202,
        body: { status: 'ignored', reason: 'Sentry resource issue is not an issue alert (event_alert)' },
      });
    });
  });
});
