import { githubDelivery, githubExamples, PrivateNats, startPrivateNats } from '@horizon/testing';
import { WebhookTriggers } from '../src/application/webhook-triggers';
import { horizonSignature } from '../src/domain/trigger-signature';
import { IngressUnderTest, SECRETS, post, startIngress } from './harness';

describe('JetStream outage: nothing is acknowledged that is not on the stream', () => {
  let nats: PrivateNats;
  let ingress: IngressUnderTest;

  beforeAll(async () => {
    nats = await startPrivateNats();
    ingress = await startIngress({}, nats);
  });
  afterAll(async () => {
    await nats.start().catch(() => undefined);
    await ingress.close();
    await nats.destroy();
  });

  it('answers 503 with Retry-After while NATS is down, and accepts the same delivery once it is back', async () => {
    const [opened] = githubExamples('pull_request').filter((p) => p.action === 'opened');
    const { rawBody, headers } = githubDelivery('pull_request', opened, SECRETS.github, 'during-outage');
    const send = () => post(`${ingress.url}/webhooks/github`, rawBody, headers);

    await nats.stop();
    const started = Date.now();
    const down = await send();
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(Date.now() - started).toBeLessThan(3000);

    await nats.start();
    const deadline = Date.now() + 15_000;
    let back = await send();
    while (back.status === 503 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      back = await send();
    }
    expect(back).toMatchObject({ status: 202, body: { status: 'accepted' } });
    expect(await send()).toMatchObject({ status: 202, body: { status: 'duplicate' } });
    expect((await ingress.messages()).filter((m) => m.envelope.id === 'github:during-outage')).toHaveLength(
      1,
    );

    await ingress.flushRecords();
    const { rows } = await ingress.db.pool.query(
      `SELECT outcome FROM "InboxDelivery" WHERE "deliveryId" = 'during-outage'`,
    );
    expect(rows).toEqual([{ outcome: 'accepted' }]);
  });

  it('answers a webhook trigger 503 with Retry-After too while NATS is down', async () => {
    const { secret } = await ingress.app.get(WebhookTriggers).create(
      {
        name: 'outage',
        format: 'horizon',
        repo: 'acme/x',
        kind: 'implement',
        labels: [],
        titleTemplate: 'T',
        promptTemplate: '{{a}}',
      },
      'test',
    );
    const rawBody = Buffer.from('{"a":1}');
    const send = () =>
      post(`${ingress.url}/webhooks/generic/outage`, rawBody, {
        'content-type': 'application/json',
        'x-horizon-signature': horizonSignature(secret, rawBody, Math.floor(Date.now() / 1000)),
        'x-horizon-delivery': 'during-outage',
      });
    await nats.stop();
    try {
      const down = await send();
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('5');
    } finally {
      await nats.start();
    }
    const deadline = Date.now() + 15_000;
    let back = await send();
    while (back.status === 503 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      back = await send();
    }
    expect(back).toMatchObject({
      status: 202,
      body: { status: 'accepted', id: 'trigger:outage:during-outage' },
    });
  });

  it('answers a webhook trigger 503 with Retry-After, not 500, while its trigger cannot be read', async () => {
    // As while Postgres restarts (the fault suite, docs/faults.md): the trigger lookup fails.
    await ingress.db.pool.query(`ALTER TABLE "WebhookTrigger" RENAME TO "WebhookTriggerAway"`);
    let down;
    try {
      down = await post(`${ingress.url}/webhooks/generic/outage`, Buffer.from('{"a":1}'), {
        'content-type': 'application/json',
      });
    } finally {
      await ingress.db.pool.query(`ALTER TABLE "WebhookTriggerAway" RENAME TO "WebhookTrigger"`);
    }
    expect(down).toMatchObject({ status: 503, body: { error: 'source unavailable' } });
    expect(down.headers.get('retry-after')).toBe('60');
  });

  it('keeps accepting while Postgres refuses the delivery records, and writes them once it can', async () => {
    const { rawBody, headers } = githubDelivery(
      'ping',
      githubExamples('ping')[0],
      SECRETS.github,
      'during-db-hiccup',
    );
    await ingress.db.pool.query(`ALTER TABLE "InboxDelivery" RENAME TO "InboxDeliveryAway"`);
    try {
      expect(await post(`${ingress.url}/webhooks/github`, rawBody, headers)).toMatchObject({
        status: 202,
        body: { status: 'accepted' },
      });
      expect((await ingress.messages()).some((m) => m.envelope.id === 'github:during-db-hiccup')).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await ingress.db.pool.query(`ALTER TABLE "InboxDeliveryAway" RENAME TO "InboxDelivery"`);
    }
    await ingress.flushRecords();
    const { rows } = await ingress.db.pool.query(
      `SELECT outcome FROM "InboxDelivery" WHERE "deliveryId" = 'during-db-hiccup'`,
    );
    expect(rows).toEqual([{ outcome: 'accepted' }]);
  });
});
