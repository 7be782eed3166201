import {
  SLACK_BUDGET_ACTIONS,
  slackAppMention,
  slackBudgetAnswer,
  slackThreadMessage,
} from '@horizon/contracts';
import { SlackFixtureName, slackDelivery, slackFixture, slackInteraction } from '@horizon/testing';
import { normalizeSlackWebhook, parseSlackBody, slackWebhookVerifier } from './index';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const verifier = slackWebhookVerifier(SECRET);
const receivedAt = new Date('2025-07-14T10:00:00.000Z');

async function deliver(name: SlackFixtureName, extraHeaders: Record<string, string> = {}) {
  const { rawBody, headers } = slackDelivery(slackFixture(name), SECRET);
  const all = { ...headers, ...extraHeaders };
  expect(await verifier.verify(rawBody, all)).toEqual({ ok: true });
  return normalizeSlackWebhook(all, parseSlackBody(rawBody, all), receivedAt);
}

describe('Slack events over the documented samples', () => {
  it('answers url_verification with its challenge, as a result of its own kind', async () => {
    expect(await deliver('url-verification')).toEqual({
      kind: 'challenge',
      challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
    });
  });

  it('normalizes an app_mention, keyed by event_id, the same across retries', async () => {
    const first = await deliver('app-mention');
    const retry = await deliver('app-mention', {
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    });
    expect(first).toEqual(retry);
    if (first.kind !== 'accepted') throw new Error(`app_mention was ${first.kind}`);
    expect(first.contract).toBe(slackAppMention);
    expect(first.deliveryId).toBe('Ev0PV52K21');
    expect(first.data).toEqual({
      delivery: {
        source: 'slack',
        deliveryId: 'Ev0PV52K21',
        event: 'app_mention',
        action: null,
        receivedAt: receivedAt.toISOString(),
      },
      message: {
        teamId: 'T123ABC456',
        channel: 'C123ABC456',
        user: 'U061F7AUR',
        text: '<@U0LAN0Z89> is it everything a river should be?',
        ts: '1515449522.000016',
        threadTs: '1515449522.000016',
      },
    });
  });

  it('normalizes a human reply in a thread, rooted at thread_ts', async () => {
    const result = await deliver('thread-reply');
    expect(result).toMatchObject({
      kind: 'accepted',
      contract: slackThreadMessage,
      data: { message: { user: 'U123ABC456', ts: '1483037603.017503', threadTs: '1482960137.003543' } },
    });
  });

  it.each([
    ['channel-message', 'message is not a thread reply'],
    ['bot-message', 'message from a bot (BB12033)'],
    ['message-changed', 'message subtype message_changed is not handled'],
    ['message-deleted', 'message subtype message_deleted is not handled'],
  ] as const)('ignores %s: %s', async (name, reason) => {
    expect(await deliver(name)).toEqual({ kind: 'ignored', event: 'message', reason });
  });

  it("ignores the bot's own messages, and a thread root repeated as its own thread_ts", () => {
    const own = slackFixture('thread-reply');
    (own.event as { user: string }).user = 'U0LAN0Z89';
    expect(normalizeSlackWebhook({}, own, receivedAt)).toEqual({
      kind: 'ignored',
      event: 'message',
      reason: 'message from the bot itself',
    });
    const configured = slackFixture('thread-reply');
    expect(normalizeSlackWebhook({}, configured, receivedAt, { botUserId: 'U123ABC456' })).toMatchObject({
      kind: 'ignored',
    });
    const root = slackFixture('thread-reply');
    const event = root.event as { ts: string; thread_ts: string };
    event.thread_ts = event.ts;
    expect(normalizeSlackWebhook({}, root, receivedAt)).toMatchObject({
      kind: 'ignored',
      reason: 'message is not a thread reply',
    });
  });

  it('verifies a form-encoded block_actions interaction and ignores it with the reason', async () => {
    const { rawBody, headers } = slackInteraction(slackFixture('block-actions'), SECRET);
    expect(rawBody.toString('utf8')).toMatch(/^payload=%7B/);
    expect(await verifier.verify(rawBody, headers)).toEqual({ ok: true });
    expect(normalizeSlackWebhook(headers, parseSlackBody(rawBody, headers), receivedAt)).toEqual({
      kind: 'ignored',
      event: 'block_actions',
      reason: 'action WaXA is not handled',
    });
  });
});

describe("the budget question's buttons (block_actions)", () => {
  const workItemId = '0b3c5f0e-9f59-4c2a-9d51-3a1f6a4c7d11';
  const press = (actionId: string, value: unknown) => {
    const payload = slackFixture('block-actions') as { actions: Record<string, unknown>[] };
    payload.actions = [{ ...payload.actions[0], action_id: actionId, value: JSON.stringify(value) }];
    const { rawBody, headers } = slackInteraction(payload, SECRET);
    return normalizeSlackWebhook(headers, parseSlackBody(rawBody, headers), receivedAt);
  };

  it('turns Continue into the answer with the extra its value states, keyed by the trigger id', () => {
    const out = press(SLACK_BUDGET_ACTIONS.continue, { workItemId, extraUsd: 2, extraTokens: 200_000 });
    expect(out).toMatchObject({
      kind: 'accepted',
      contract: slackBudgetAnswer,
      deliveryId: '12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3',
      data: {
        workItemId,
        action: 'continue',
        extra: { tokens: 200_000, costUsd: 2 },
        teamId: 'T9TK3CUKW',
        user: 'UA8RXUSPL',
      },
    });
  });

  it("turns Stop into a stop with no extra, and refuses a value that is not the button's", () => {
    expect(press(SLACK_BUDGET_ACTIONS.stop, { workItemId })).toMatchObject({
      data: { action: 'stop', extra: { tokens: null, costUsd: null } },
    });
    expect(() => press(SLACK_BUDGET_ACTIONS.stop, { workItemId: 'nope' })).toThrow(/workItemId/);
  });
});

describe('Slack signature refusals', () => {
  const now = Math.floor(Date.now() / 1000);

  it('refuses a tampered body and a wrong secret', async () => {
    const { rawBody, headers } = slackDelivery(slackFixture('app-mention'), SECRET, now);
    const tampered = Buffer.from(rawBody.toString('utf8').replace('river', 'ocean'));
    expect(tampered.equals(rawBody)).toBe(false);
    expect(await verifier.verify(tampered, headers)).toEqual({
      ok: false,
      reason: 'X-Slack-Signature does not match the body',
    });
    const wrong = slackDelivery(slackFixture('app-mention'), 'another-secret', now);
    expect(await verifier.verify(wrong.rawBody, wrong.headers)).toEqual({
      ok: false,
      reason: 'X-Slack-Signature does not match the body',
    });
  });

  it('refuses missing headers and a non-v0 signature', async () => {
    const { rawBody, headers } = slackDelivery(slackFixture('app-mention'), SECRET, now);
    const { ['x-slack-signature']: signature, ['x-slack-request-timestamp']: timestamp, ...bare } = headers;
    expect(await verifier.verify(rawBody, { ...bare, 'x-slack-request-timestamp': timestamp })).toEqual({
      ok: false,
      reason: 'missing X-Slack-Signature header',
    });
    expect(await verifier.verify(rawBody, { ...bare, 'x-slack-signature': signature })).toEqual({
      ok: false,
      reason: 'missing X-Slack-Request-Timestamp header',
    });
    const v1 = { ...headers, 'x-slack-signature': signature.replace('v0=', 'v1=') };
    expect(await verifier.verify(rawBody, v1)).toEqual({
      ok: false,
      reason: 'X-Slack-Signature is not a v0 signature',
    });
  });

  it('refuses a correctly signed request outside the 5-minute window, either side', async () => {
    const old = slackDelivery(slackFixture('app-mention'), SECRET, now - 301);
    expect(await verifier.verify(old.rawBody, old.headers)).toEqual({
      ok: false,
      reason: expect.stringMatching(/^stale delivery: .* 30[12] s old/),
    });
    const future = slackDelivery(slackFixture('app-mention'), SECRET, now + 400);
    expect(await verifier.verify(future.rawBody, future.headers)).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /^X-Slack-Request-Timestamp is (399|400) s in the future \(limit 300 s\)$/,
      ),
    });
    const recent = slackDelivery(slackFixture('app-mention'), SECRET, now - 240);
    expect(await verifier.verify(recent.rawBody, recent.headers)).toEqual({ ok: true });
  });
});
