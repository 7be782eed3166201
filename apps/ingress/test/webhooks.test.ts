import { ingressContracts } from '@horizon/contracts';
import {
  githubDelivery,
  githubExamples,
  linearDelivery,
  linearFixture,
  linearFixtureNames,
  signGithub,
  slackDelivery,
  slackFixture,
  slackInteraction,
} from '@horizon/testing';
import { IngressUnderTest, SECRETS, post, startIngress } from './harness';

/** Handled GitHub events, the actions that must be enqueued, and the subject they land on. */
const HANDLED: Record<string, { actions: string[] | 'all'; subject: string }> = {
  issue_comment: { actions: ['created'], subject: 'hzn.ingress.github.issue_comment' },
  pull_request_review: { actions: ['submitted'], subject: 'hzn.ingress.github.pull_request_review' },
  pull_request_review_comment: {
    actions: ['created'],
    subject: 'hzn.ingress.github.pull_request_review_comment',
  },
  pull_request: {
    actions: ['opened', 'synchronize', 'closed', 'labeled', 'unlabeled'],
    subject: 'hzn.ingress.github.pull_request',
  },
  check_run: { actions: ['completed'], subject: 'hzn.ingress.github.check' },
  check_suite: { actions: ['completed'], subject: 'hzn.ingress.github.check' },
  workflow_run: { actions: ['completed'], subject: 'hzn.ingress.github.check' },
  status: { actions: 'all', subject: 'hzn.ingress.github.check' },
  installation: { actions: 'all', subject: 'hzn.ingress.github.installation' },
  installation_repositories: { actions: 'all', subject: 'hzn.ingress.github.installation' },
  ping: { actions: 'all', subject: 'hzn.ingress.github.ping' },
};

async function metric(url: string, line: RegExp): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const found = text.split('\n').find((l) => line.test(l));
  return found ? Number(found.split(' ').pop()) : 0;
}

describe('webhooks through HTTP into JetStream (real ingress, Postgres, NATS)', () => {
  let ingress: IngressUnderTest;
  const github = (event: string, payload: unknown, deliveryId: string, secret = SECRETS.github) => {
    const { rawBody, headers } = githubDelivery(event, payload, secret, deliveryId);
    return post(`${ingress.url}/webhooks/github`, rawBody, headers);
  };

  beforeAll(async () => {
    ingress = await startIngress();
  });
  afterAll(() => ingress.close());

  it('puts every handled @octokit/webhooks-examples payload on the stream once, on its subject', async () => {
    const expected = new Map<string, string>();
    for (const [event, { actions, subject }] of Object.entries(HANDLED)) {
      for (const [i, payload] of githubExamples(event).entries()) {
        const deliveryId = `ex-${event}-${i}`;
        const res = await github(event, payload, deliveryId, i % 2 ? SECRETS.githubOld : SECRETS.github);
        expect(res.status).toBe(202);
        const handled = actions === 'all' || actions.includes(payload.action ?? '');
        expect(res.body.status).toBe(handled ? 'accepted' : 'ignored');
        if (handled) expected.set(`github:${deliveryId}`, subject);
      }
    }
    expect(expected.size).toBeGreaterThan(20);
    const messages = await ingress.messages();
    const onStream = messages.filter((m) => m.envelope.id.startsWith('github:ex-'));
    expect(onStream).toHaveLength(expected.size);
    for (const m of onStream) {
      expect(m.subject.endsWith(expected.get(m.envelope.id)!)).toBe(true);
      expect(m.envelope.subject).toBe(expected.get(m.envelope.id));
      const contract = ingressContracts.find((c) => c.subject === m.envelope.subject)!;
      expect(contract.data.safeParse(m.envelope.data).success).toBe(true);
    }
  });

  it('answers 202 to an event it does not handle, counts it, and enqueues nothing', async () => {
    const before = await metric(
      ingress.url,
      /^hzn_ingress_unhandled_events_total\{.*source="github".*event="push"/,
    );
    const res = await github('push', githubExamples('push')[0], 'push-1');
    expect(res).toMatchObject({
      status: 202,
      body: { status: 'ignored', reason: 'event push is not handled' },
    });
    expect(
      await metric(ingress.url, /^hzn_ingress_unhandled_events_total\{.*source="github".*event="push"/),
    ).toBe(before + 1);
    expect((await ingress.messages()).some((m) => m.envelope.id === 'github:push-1')).toBe(false);
  });

  it('stores the same delivery sent five times once, and records it accepted', async () => {
    const [opened] = githubExamples('pull_request').filter((p) => p.action === 'opened');
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map(() => github('pull_request', opened, 'five-times')),
    );
    expect(results.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    expect(results.filter((r) => r.body.status === 'accepted')).toHaveLength(1);
    expect(results.filter((r) => r.body.status === 'duplicate')).toHaveLength(4);
    expect((await ingress.messages()).filter((m) => m.envelope.id === 'github:five-times')).toHaveLength(1);
    await ingress.flushRecords();
    const { rows } = await ingress.db.pool.query(
      `SELECT * FROM "InboxDelivery" WHERE "deliveryId" = 'five-times'`,
    );
    expect(rows).toEqual([
      expect.objectContaining({
        source: 'github',
        event: 'pull_request',
        outcome: 'accepted',
        envelopeId: 'github:five-times',
      }),
    ]);
    expect(rows[0].envelope.subject).toBe('hzn.ingress.github.pull_request');
  });

  it('accepts every Linear sample, signed and fresh', async () => {
    for (const name of linearFixtureNames) {
      const { rawBody, headers } = linearDelivery(linearFixture(name), SECRETS.linear, `lin-${name}`);
      const res = await post(`${ingress.url}/webhooks/linear`, rawBody, headers);
      expect([name, res.status, res.body.status]).toEqual([name, 202, 'accepted']);
    }
    const linear = (await ingress.messages()).filter((m) => m.envelope.id.startsWith('linear:lin-'));
    expect(linear.map((m) => m.envelope.subject).sort()).toEqual([
      'hzn.ingress.linear.agent_session',
      'hzn.ingress.linear.agent_session',
      'hzn.ingress.linear.comment',
      'hzn.ingress.linear.issue',
      'hzn.ingress.linear.issue',
      'hzn.ingress.linear.issue',
    ]);
  });

  it('answers Slack url_verification with the challenge, enqueues mentions and thread replies, retries once', async () => {
    const slack = (payload: unknown, extra: Record<string, string> = {}) => {
      const { rawBody, headers } = slackDelivery(payload, SECRETS.slack);
      return post(`${ingress.url}/webhooks/slack/events`, rawBody, { ...headers, ...extra });
    };
    const challenge = slackFixture('url-verification');
    expect(await slack(challenge)).toMatchObject({ status: 200, body: { challenge: challenge.challenge } });

    const mention = slackFixture('app-mention');
    const first = await slack(mention);
    const retry = await slack(mention, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect([first.status, first.body.status, retry.status, retry.body.status]).toEqual([
      200,
      'accepted',
      200,
      'duplicate',
    ]);
    expect(await slack(slackFixture('thread-reply'))).toMatchObject({
      status: 200,
      body: { status: 'accepted' },
    });
    for (const ignored of ['bot-message', 'channel-message', 'message-changed', 'message-deleted'] as const) {
      expect([ignored, (await slack(slackFixture(ignored))).body.status]).toEqual([ignored, 'ignored']);
    }
    const { rawBody, headers } = slackInteraction(slackFixture('block-actions'), SECRETS.slack);
    expect(await post(`${ingress.url}/webhooks/slack/interactions`, rawBody, headers)).toMatchObject({
      status: 200,
      body: { status: 'ignored' },
    });

    const slackMessages = (await ingress.messages()).filter((m) => m.envelope.id.startsWith('slack:'));
    expect(slackMessages.map((m) => m.envelope.subject).sort()).toEqual([
      'hzn.ingress.slack.app_mention',
      'hzn.ingress.slack.thread_message',
    ]);
    expect(slackMessages.find((m) => m.envelope.subject.endsWith('app_mention'))!.envelope.id).toBe(
      `slack:${mention.event_id}`,
    );
  });

  describe('refusals: the right status, a reason that helps no forger, nothing on the stream', () => {
    const [ping] = githubExamples('ping');
    const signed = (id: string) => githubDelivery('ping', ping, SECRETS.github, id);
    const cases: [string, () => Promise<{ status: number; body: unknown; headers: Headers }>, number][] = [
      [
        'tampered body',
        () => {
          const { rawBody, headers } = signed('r-tampered');
          return post(
            `${ingress.url}/webhooks/github`,
            rawBody.toString().replace('Anything added', 'Anything removed'),
            headers,
          );
        },
        401,
      ],
      ['wrong secret', () => github('ping', ping, 'r-wrong-secret', 'not-our-secret'), 401],
      [
        'missing signature',
        () => {
          const { rawBody, headers } = signed('r-unsigned');
          const { 'x-hub-signature-256': _s, ...unsigned } = headers;
          return post(`${ingress.url}/webhooks/github`, rawBody, unsigned);
        },
        401,
      ],
      [
        'missing delivery id',
        () => {
          const { rawBody, headers } = signed('r-no-id');
          const { 'x-github-delivery': _d, ...rest } = headers;
          return post(`${ingress.url}/webhooks/github`, rawBody, rest);
        },
        400,
      ],
      [
        'oversized',
        () => {
          const big = Buffer.from(JSON.stringify({ ...ping, padding: 'x'.repeat(1024 * 1024) }));
          return post(`${ingress.url}/webhooks/github`, big, {
            ...signed('r-big').headers,
            'x-hub-signature-256': signGithub(big, SECRETS.github),
          });
        },
        413,
      ],
      [
        'wrong content type',
        () => {
          const { rawBody, headers } = signed('r-form');
          return post(`${ingress.url}/webhooks/github`, rawBody, {
            ...headers,
            'content-type': 'application/x-www-form-urlencoded',
          });
        },
        415,
      ],
      [
        'malformed JSON',
        () => {
          const body = '{"zen": "unterminated';
          return post(`${ingress.url}/webhooks/github`, body, {
            ...signed('r-json').headers,
            'x-hub-signature-256': signGithub(body, SECRETS.github),
          });
        },
        400,
      ],
      [
        'stale Linear timestamp',
        () => {
          const { rawBody, headers } = linearDelivery(
            linearFixture('comment-create', Date.now() - 120_000),
            SECRETS.linear,
            'r-lin-stale',
          );
          return post(`${ingress.url}/webhooks/linear`, rawBody, headers);
        },
        401,
      ],
      [
        'Linear signed with another secret',
        () => {
          const { rawBody, headers } = linearDelivery(
            linearFixture('comment-create'),
            'other',
            'r-lin-secret',
          );
          return post(`${ingress.url}/webhooks/linear`, rawBody, headers);
        },
        401,
      ],
      [
        'stale Slack timestamp',
        () => {
          const { rawBody, headers } = slackDelivery(
            { ...slackFixture('app-mention'), event_id: 'EvStale' },
            SECRETS.slack,
            Math.floor(Date.now() / 1000) - 600,
          );
          return post(`${ingress.url}/webhooks/slack/events`, rawBody, headers);
        },
        401,
      ],
      [
        'Slack without a timestamp header',
        () => {
          const { rawBody, headers } = slackDelivery(
            { ...slackFixture('app-mention'), event_id: 'EvNoTs' },
            SECRETS.slack,
          );
          const { 'x-slack-request-timestamp': _t, ...rest } = headers;
          return post(`${ingress.url}/webhooks/slack/events`, rawBody, rest);
        },
        401,
      ],
    ];

    it.each(cases)('%s', async (_name, send, status) => {
      const before = (await ingress.messages()).length;
      const res = await send();
      expect(res.status).toBe(status);
      if (status === 401) expect(res.body).toEqual({ error: 'unauthorized' });
      expect((await ingress.messages()).length).toBe(before);
    });

    it('records refusals with the reason, for the operator', async () => {
      await ingress.flushRecords();
      const { rows } = await ingress.db.pool.query(
        `SELECT "deliveryId", outcome, detail FROM "InboxDelivery" WHERE "deliveryId" LIKE 'r-%'`,
      );
      const byId = Object.fromEntries(rows.map((r) => [r.deliveryId, r]));
      expect(byId['r-wrong-secret']).toMatchObject({
        outcome: 'refused',
        detail: expect.stringMatching(/matches none/),
      });
      expect(byId['r-lin-stale']).toMatchObject({
        outcome: 'refused',
        detail: expect.stringMatching(/^stale delivery/),
      });
      expect(byId['r-form']).toMatchObject({
        outcome: 'refused',
        detail: expect.stringMatching(/content type/),
      });
    });
  });
});

describe('a source without a secret', () => {
  it('answers 404 and enqueues nothing', async () => {
    const ingress = await startIngress({ GITHUB_WEBHOOK_SECRET: '', LINEAR_WEBHOOK_SECRET: '' });
    try {
      const { rawBody, headers } = githubDelivery(
        'ping',
        githubExamples('ping')[0],
        SECRETS.github,
        'unconfigured',
      );
      expect(await post(`${ingress.url}/webhooks/github`, rawBody, headers)).toMatchObject({
        status: 404,
        body: { error: 'source not configured' },
      });
      expect(await ingress.messages()).toEqual([]);
    } finally {
      await ingress.close();
    }
  });
});
