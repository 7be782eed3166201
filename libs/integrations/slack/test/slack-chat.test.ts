import { ChatCallError, ChatPort, ChatRateLimitedError, createSlackChat } from '@horizon/integrations-slack';
import { SlackStandin, startSlackStandin } from '@horizon/testing';

describe('Slack ChatPort (real @slack/web-api against the Slack stand-in)', () => {
  let standin: SlackStandin;
  let chat: ChatPort;

  beforeAll(async () => {
    standin = await startSlackStandin();
    chat = createSlackChat({ token: standin.token, slackApiUrl: standin.url });
  });
  afterAll(() => standin.close());

  it('posts in a thread, updates in place, reads the thread back with metadata', async () => {
    const channel = standin.addChannel();
    const root = standin.addUserMessage(channel, '<@U0HORIZON> fix the login bug');
    const posted = await chat.post({
      channel,
      threadTs: root,
      text: ':hourglass: *queued*',
      metadata: { eventType: 'horizon_delivery', payload: { dedupeKey: 'k1' } },
    });
    await chat.update({ channel, ts: posted.ts, text: ':gear: *running*' });
    const thread = await chat.readThread(channel, root);
    expect(thread.map((m) => m.text)).toEqual(['<@U0HORIZON> fix the login bug', ':gear: *running*']);
    expect(thread[1]?.metadata).toEqual({ eventType: 'horizon_delivery', payload: { dedupeKey: 'k1' } });
    expect(standin.thread(channel, root)[1]?.history).toEqual([':hourglass: *queued*', ':gear: *running*']);
  });

  it('surfaces a 429 as a rate-limit error carrying Retry-After', async () => {
    const channel = standin.addChannel();
    standin.rateLimitNext({ retryAfterSeconds: 2 });
    const err = await chat.post({ channel, text: 'hi' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChatRateLimitedError);
    expect((err as ChatRateLimitedError).retryAfterMs).toBe(2000);
  });

  it('maps Slack refusals to permanent call errors', async () => {
    const err = await chat.post({ channel: 'CNOPE', text: 'hi' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'channel_not_found', permanent: true });
    const bad = createSlackChat({ token: 'xoxb-wrong', slackApiUrl: standin.url });
    expect(await bad.post({ channel: 'C1', text: 'x' }).catch((e: unknown) => e)).toBeInstanceOf(
      ChatCallError,
    );
  });

  it('stand-in: refuses a call with a missing required argument, no token, or an ill-typed argument', async () => {
    const call = async (method: string, body: Record<string, string>, auth = `Bearer ${standin.token}`) =>
      (await fetch(`${standin.url}${method}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(auth ? { authorization: auth } : {}),
        },
        body: new URLSearchParams(body).toString(),
      }).then((r) => r.json())) as {
        ok: boolean;
        error?: string;
        response_metadata?: { messages: string[] };
      };
    const channel = standin.addChannel();
    expect(await call('chat.update', { channel, text: 'x' })).toMatchObject({
      ok: false,
      error: 'invalid_arguments',
      response_metadata: { messages: ['[ERROR] missing required field: ts'] },
    });
    expect(await call('chat.postMessage', { channel })).toEqual({ ok: false, error: 'no_text' });
    expect(await call('chat.postMessage', { channel, text: 'x' }, '')).toEqual({
      ok: false,
      error: 'not_authed',
    });
    expect(await call('chat.postMessage', { channel, text: 'x', metadata: 'not json' })).toMatchObject({
      ok: false,
      error: 'invalid_arguments',
    });
    expect(await call('conversations.replies', { channel, ts: '1.2', limit: 'many' })).toMatchObject({
      ok: false,
      error: 'invalid_arguments',
    });
  });
});
