import { randomUUID } from 'node:crypto';
import { createLogger } from '@horizon/observability';
import { githubDelivery, githubExamples, slackDelivery, slackFixture } from '@horizon/testing';
import type { DeliveryRecord } from '../src/application/accept';
import { BatchedDeliveryLog } from '../src/persistence/delivery-log';
import { IngressUnderTest, SECRETS, post, startIngress } from './harness';

const rowsOf = async (ingress: IngressUnderTest, deliveryId: string) =>
  (await ingress.db.pool.query(`SELECT * FROM "InboxDelivery" WHERE "deliveryId" = $1`, [deliveryId])).rows;

/**
 * Input Postgres cannot store (NUL characters; values of the wrong type) reaching the webhook
 * endpoints: taken or refused with an answer, and the record of every delivery still written.
 */
describe('webhooks holding what Postgres cannot store (real ingress, Postgres, NATS)', () => {
  let ingress: IngressUnderTest;

  beforeAll(async () => {
    ingress = await startIngress();
  });
  afterAll(() => ingress.close());

  it('takes a signed delivery holding NUL characters with them replaced, on the stream and in the record', async () => {
    const [comment] = githubExamples('issue_comment').filter((p) => p.action === 'created');
    const payload = structuredClone(comment) as { comment: { body: string }; extra?: unknown };
    payload.comment.body = 'please fix\u0000 this';
    payload.extra = { 'key\u0000': 'value' };
    const deliveryId = `nul-${randomUUID()}`;
    const { rawBody, headers } = githubDelivery('issue_comment', payload, SECRETS.github, deliveryId);

    const res = await post(`${ingress.url}/webhooks/github`, rawBody, headers);

    expect(res).toMatchObject({ status: 202, body: { status: 'accepted' } });
    const [message] = (await ingress.messages()).filter((m) => m.envelope.id === `github:${deliveryId}`);
    expect(JSON.stringify(message!.envelope)).toContain('please fix\uFFFD this');
    expect(JSON.stringify(message!.envelope)).not.toContain('\\u0000');
    await ingress.flushRecords();
    expect(await rowsOf(ingress, deliveryId)).toEqual([
      expect.objectContaining({ outcome: 'accepted', envelopeId: `github:${deliveryId}` }),
    ]);
  });

  it('refuses a body with a raw NUL byte, and records the refusal whose reason quotes it', async () => {
    const deliveryId = `raw-nul-${randomUUID()}`;
    const rawBody = Buffer.from('{"action":"created",\u0000}');
    const { headers } = githubDelivery('issue_comment', {}, SECRETS.github, deliveryId);

    const res = await post(`${ingress.url}/webhooks/github`, rawBody, headers);

    expect(res).toMatchObject({ status: 400, body: { error: 'malformed body' } });
    await ingress.flushRecords();
    const [row] = await rowsOf(ingress, deliveryId);
    expect(row).toMatchObject({ outcome: 'refused', detail: expect.stringMatching(/^malformed body/) });
  });

  it('answers a Slack event whose type is not a string with a 4xx, recording it as failed', async () => {
    const mention = slackFixture('app-mention') as { event_id: string; event: { type: unknown } };
    mention.event_id = `EvBad${Date.now()}`;
    mention.event.type = ['app_mention', 1];
    const { rawBody, headers } = slackDelivery(mention, SECRETS.slack);

    const res = await post(`${ingress.url}/webhooks/slack/events`, rawBody, headers);

    expect(res.status).toBe(422);
    await ingress.flushRecords();
    expect(await rowsOf(ingress, mention.event_id)).toEqual([
      expect.objectContaining({ outcome: 'failed', detail: expect.stringMatching(/string `type`/) }),
    ]);
  });

  it('writes the rest of a batch Postgres refuses one row of, drops that row, and retries nothing', async () => {
    const log = new BatchedDeliveryLog(ingress.db.pool, createLogger('test', 'silent'), {
      lingerMs: 60_000,
    });
    const batch = `batch-${randomUUID()}`;
    const record = (n: number, event: unknown): DeliveryRecord => ({
      source: 'github',
      deliveryId: `${batch}-${n}`,
      event: event as string,
      outcome: 'ignored',
      detail: 'not handled',
      envelope: null,
      receivedAt: new Date(),
    });
    [record(1, 'push'), record(2, null), record(3, 'fork')].forEach((r) => log.record(r));

    await log.close(60_000);

    expect(log.backlog).toBe(0);
    const { rows } = await ingress.db.pool.query(
      `SELECT "deliveryId", event FROM "InboxDelivery" WHERE "deliveryId" LIKE $1 ORDER BY "deliveryId"`,
      [`${batch}-%`],
    );
    expect(rows).toEqual([
      { deliveryId: `${batch}-1`, event: 'push' },
      { deliveryId: `${batch}-3`, event: 'fork' },
    ]);
  });
});
