import { randomUUID } from 'node:crypto';
import { headers as natsHeaders } from '@nats-io/transport-node';
import {
  Envelope,
  envelopeFor,
  notifyDeliver,
  runFinished,
  runProgress,
  SourceRefs,
  workItemCreated,
  workItemStateChanged,
} from '@horizon/contracts';
import type { Database } from '@horizon/db';
import { JetStreamConnection, Publisher } from '@horizon/messaging';
import { LinearStandin, startLinearStandin, SlackStandin, startSlackStandin } from '@horizon/testing';
import { NotifierUnderTest, startNotifier } from './notifier-under-test';

async function until<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const PR = {
  provider: 'github' as const,
  repo: { forge: 'github' as const, owner: 'acme', name: 'app' },
  number: 42,
  url: 'https://github.com/acme/app/pull/42',
  branch: 'horizon/fix-login',
};

const EVENTS_TOKEN = 'events-token-0123456789abcdef';
describe('notifier (real Postgres, JetStream, SDK clients against the Slack and Linear stand-ins)', () => {
  let notifier: NotifierUnderTest;
  let slack: SlackStandin;
  let linear: LinearStandin;
  let conn: JetStreamConnection;
  let publisher: Publisher;
  let database: Database;
  let port: number;

  beforeAll(async () => {
    [slack, linear] = await Promise.all([startSlackStandin(), startLinearStandin()]);
    notifier = await startNotifier('notifier-test', {
      SLACK_BOT_TOKEN: slack.token,
      SLACK_API_URL: slack.url,
      LINEAR_ACCESS_TOKEN: 'lin_oauth_test',
      LINEAR_API_URL: linear.url,
      NOTIFIER_EVENTS_TOKEN: EVENTS_TOKEN,
    });
    ({ conn, publisher, database, port } = notifier);
  });

  afterAll(async () => {
    await notifier?.stop();
    await Promise.all([slack?.close(), linear?.close()]);
  });

  /** A work item that came from a Slack thread (and optionally a Linear session), announced to the notifier. */
  async function slackWorkItem(extra: Partial<SourceRefs> = {}) {
    const channel = slack.addChannel();
    const threadTs = slack.addUserMessage(channel, '<@U0HORIZON> fix the login bug in acme/app');
    const workItemId = randomUUID();
    const sourceRefs: SourceRefs = { slackThread: { teamId: 'T1', channel, threadTs }, ...extra };
    await publisher.publish(
      envelopeFor(
        workItemCreated,
        {
          workItemId,
          kind: 'implement',
          state: 'received',
          repo: 'acme/app',
          title: 'Fix the login bug',
          ownerId: null,
          sourceRefs,
        },
        { source: 'test' },
      ),
    );
    return { channel, threadTs, workItemId, sourceRefs };
  }

  const botMessages = (channel: string, threadTs: string) =>
    slack.thread(channel, threadTs).filter((m) => m.bot_id);

  it('updates one Slack status message in place as a run moves, then posts the PR link and a summary', async () => {
    const { channel, threadTs, workItemId, sourceRefs } = await slackWorkItem();
    const runId = randomUUID();
    for (const [seq, summary] of ['Sandbox ready', 'Editing src/login.ts', 'npm test passed'].entries()) {
      await publisher.publish(
        envelopeFor(
          runProgress,
          { runId, workItemId, seq, phase: 'harness', kind: 'step', summary },
          { source: 'test' },
        ),
      );
    }
    await publisher.publish(
      envelopeFor(
        runFinished,
        {
          runId,
          workItemId,
          outcome: 'succeeded',
          reason: null,
          usage: null,
          durationMs: 61_000,
          branch: PR.branch,
          commitSha: 'abc',
          verification: [{ command: 'npm test', exitCode: 0, durationMs: 900 }],
          frictionNotes: [],
        },
        { source: 'test' },
      ),
    );
    await until(() => botMessages(channel, threadTs)[0]?.history.some((t) => t.includes('run succeeded')));
    await publisher.publish(
      envelopeFor(
        workItemStateChanged,
        {
          workItemId,
          from: 'verifying',
          to: 'in_review',
          cause: 'PR opened',
          runId,
          sourceRefs: { ...sourceRefs, pullRequest: PR },
        },
        { source: 'test' },
      ),
    );
    const [status, final] = await until(
      () => botMessages(channel, threadTs).length === 2 && botMessages(channel, threadTs),
    );
    // Events are handled concurrently: a step handled after a newer one is skipped, never shown
    // over it. What is shown is in the events' order and ends on the newest.
    const steps = [
      'received',
      'Sandbox ready',
      'Editing src/login.ts',
      'npm test passed',
      'run succeeded',
      'in review',
    ];
    await until(() => status!.text.includes('in review'));
    const shown = status!.history.map((text) => steps.findIndex((step) => text.includes(step)));
    expect(shown).not.toContain(-1);
    expect(shown).toEqual([...shown].sort((a, b) => a - b));
    expect(new Set(shown).size).toBe(shown.length);
    expect(final!.text).toContain('<https://github.com/acme/app/pull/42|acme/app#42>');
    expect(final!.text).toContain('Run succeeded in 61 s');
    expect(final!.text).toContain('Verification: 1/1 passed');
    expect(
      slack.calls.filter(
        (c) => c.method === 'chat.postMessage' && c.args.channel === channel && c.outcome === 'ok',
      ),
    ).toHaveLength(2);
  });

  it('posts once when the same event is delivered twice', async () => {
    const { channel, threadTs, workItemId, sourceRefs } = await slackWorkItem();
    await until(() => botMessages(channel, threadTs).length === 1);
    const env = envelopeFor(
      workItemStateChanged,
      {
        workItemId,
        from: 'verifying',
        to: 'in_review',
        cause: 'PR opened',
        runId: null,
        sourceRefs: { ...sourceRefs, pullRequest: PR },
      },
      { source: 'test' },
    );
    const wire = conn.naming.subject(env.subject);
    const bytes = new TextEncoder().encode(JSON.stringify(env));
    // Two stream messages carrying one envelope: JetStream's own de-duplication does not hide the second.
    await publisher.publishRaw(wire, bytes, natsHeaders(), `${env.id}-a`);
    await publisher.publishRaw(wire, bytes, natsHeaders(), `${env.id}-b`);
    const lastSeq = (await conn.jsm.streams.info(conn.naming.stream('EVT'))).state.last_seq;
    await until(async () => {
      const info = await conn.jsm.consumers.info(conn.naming.stream('EVT'), 'notifier-events');
      return info.ack_floor.stream_seq >= lastSeq && info.num_ack_pending === 0;
    });
    expect(botMessages(channel, threadTs).filter((m) => m.text.includes('pull/42'))).toHaveLength(1);
    const records = await database.pool.query(
      `SELECT "status", "externalId" FROM "NotificationDelivery" WHERE "dedupeKey" = $1`,
      [`slack:final:${workItemId}:42`],
    );
    expect(records.rows).toEqual([{ status: 'delivered', externalId: expect.any(String) }]);
  });

  it("honours Slack's Retry-After: the retry comes after the delay, not before", async () => {
    slack.rateLimitNext({ retryAfterSeconds: 2, method: 'chat.postMessage' });
    const { channel, threadTs } = await slackWorkItem();
    await until(() => botMessages(channel, threadTs).length === 1);
    const posts = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel);
    expect(posts.map((c) => c.outcome)).toEqual(['ratelimited', 'ok']);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(1900);
  });

  it('reports a plan session as Linear agent activities, honouring a rate limit', async () => {
    const team = linear.state.addTeam({ key: 'PLN' });
    const issue = linear.state.addIssue({ teamId: team.id, title: 'Plan the billing project' });
    const session = linear.state.addAgentSession({ issueId: issue.id });
    linear.rateLimitNext({ resetInMs: 1500 });
    const workItemId = randomUUID();
    const sourceRefs: SourceRefs = {
      trackerIssue: { provider: 'linear', id: issue.id },
      linearAgentSession: { id: session.id },
    };
    await publisher.publish(
      envelopeFor(
        workItemCreated,
        {
          workItemId,
          kind: 'plan',
          state: 'received',
          repo: 'acme/app',
          title: 'Plan billing',
          ownerId: null,
          sourceRefs,
        },
        { source: 'test' },
      ),
    );
    await until(() => linear.state.activitiesOf(session.id).length === 1).catch((e) => {
      throw new Error(`${(e as Error).message}: ${JSON.stringify(linear.requests.slice(-5))}`);
    });
    const calls = linear.requests.filter((r) => r.operationName === 'createAgentActivity');
    expect(calls.map((c) => c.outcome)).toEqual(['RATELIMITED', 'ok']);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1400);

    const runId = randomUUID();
    await publisher.publish(
      envelopeFor(
        runProgress,
        {
          runId,
          workItemId,
          seq: 0,
          phase: 'harness',
          kind: 'tool',
          summary: 'Reading the project documents',
        },
        { source: 'test' },
      ),
    );
    await until(() => linear.state.activitiesOf(session.id).length === 2);
    await publisher.publish(
      envelopeFor(
        workItemStateChanged,
        { workItemId, from: 'running', to: 'failed', cause: 'model unreachable', runId, sourceRefs },
        { source: 'test' },
      ),
    );
    await until(() => linear.state.activitiesOf(session.id).length === 3);
    const activities = linear.state.activitiesOf(session.id);
    expect(activities.map((a) => a.content.type)).toEqual(['thought', 'action', 'error']);
    expect(activities[1]!.content).toMatchObject({
      action: 'harness',
      parameter: 'Reading the project documents',
    });
    expect(activities[2]!.content.body).toContain('model unreachable');
    await until(() => linear.state.commentsOn(issue.id).length === 1);
  });

  it('completes a Linear issue with a comment linking the PR, and streams every message to the console', async () => {
    const team = linear.state.addTeam({ key: 'DONE' });
    const issue = linear.state.addIssue({ teamId: team.id, title: 'Ship billing' });
    const seen: string[] = [];
    const abort = new AbortController();
    const events = `http://127.0.0.1:${port}/events`;
    expect((await fetch(events)).status).toBe(401);
    expect(
      (await fetch(events, { headers: { authorization: 'Bearer not-the-token-at-all-no' } })).status,
    ).toBe(401);
    const res = await fetch(events, {
      signal: abort.signal,
      headers: { authorization: `Bearer ${EVENTS_TOKEN}` },
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reading = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
        seen.push(decoder.decode(chunk));
    })().catch(() => undefined);
    const command = (data: Parameters<typeof envelopeFor<typeof notifyDeliver>>[1]) =>
      publisher.publish(envelopeFor(notifyDeliver, data, { source: 'test' }) as Envelope);
    await command({
      channel: 'linear',
      target: { issueId: issue.id },
      dedupeKey: `done:${issue.id}`,
      title: 'Merged',
      body: 'Merged in [acme/app#42](https://github.com/acme/app/pull/42).',
      completeIssue: true,
    });
    await command({
      channel: 'console',
      target: {},
      dedupeKey: `console:${issue.id}`,
      title: 'Billing shipped',
      body: 'A **verbose** note',
    });
    await until(() => linear.state.stateOf(issue.id)?.type === 'completed');
    expect(linear.state.commentsOn(issue.id).map((c) => c.body)).toEqual([
      '**Merged**\n\nMerged in [acme/app#42](https://github.com/acme/app/pull/42).',
    ]);
    await until(() => seen.join('').includes('Billing shipped'));
    expect(seen.join('')).toMatch(/event: notification\ndata: \{.*"title":"Billing shipped"/);
    abort.abort();
    await reading;
  });
});
