import { randomUUID } from 'node:crypto';
import { createDatabase, Database } from '@horizon/db';
import { createLinearTracker } from '@horizon/integrations-linear';
import { createSlackChat } from '@horizon/integrations-slack';
import { createLogger } from '@horizon/observability';
import {
  LinearStandin,
  startLinearStandin,
  SlackStandin,
  startSlackStandin,
  createTestDatabase,
  TestDatabase,
} from '@horizon/testing';
import { linearSender, slackSender } from '../src/application/channels';
import type { Notification } from '../src/domain/compose';
import { Deliverer } from '../src/application/deliverer';
import { DeliveryStore } from '../src/persistence/delivery-store';

const logger = createLogger('test', 'silent');

/**
 * A process that posted and died before recording: its claim is left pending with an expired
 * lease. The next delivery must find what was posted instead of posting it again.
 */
describe('delivery after a crash between post and record (real Postgres, stand-ins)', () => {
  let testDb: TestDatabase;
  let db: Database;
  let slack: SlackStandin;
  let linear: LinearStandin;
  let store: DeliveryStore;

  beforeAll(async () => {
    [testDb, slack, linear] = await Promise.all([
      createTestDatabase(),
      startSlackStandin(),
      startLinearStandin(),
    ]);
    db = createDatabase(testDb.url, 4, 'notifier');
    store = new DeliveryStore(db.pool);
  });
  afterAll(async () => {
    await db.close();
    await Promise.all([slack.close(), linear.close(), testDb.drop()]);
  });

  async function crashAfterSend(n: Notification, send: () => Promise<unknown>) {
    expect(await store.claim(n)).toEqual({ kind: 'claimed', attempts: 1 });
    await send();
    await db.pool.query(
      `UPDATE "NotificationDelivery" SET "leaseUntil" = now() - interval '1 second' WHERE "dedupeKey" = $1`,
      [n.dedupeKey],
    );
  }

  it('Slack: finds its own message by metadata in the thread', async () => {
    const chat = createSlackChat({ token: slack.token, slackApiUrl: slack.url });
    const channel = slack.addChannel();
    const threadTs = slack.addUserMessage(channel, 'hello');
    const n: Notification = {
      channel: 'slack',
      target: { channel, threadTs },
      dedupeKey: `final:${randomUUID()}`,
      title: '',
      body: 'PR ready',
    };
    const sender = slackSender(chat);
    await crashAfterSend(n, () => sender.send(n, { attempts: 1 }));
    expect(await new Deliverer(store, { slack: sender }).deliver(n, logger)).toEqual({ kind: 'ack' });
    expect(slack.thread(channel, threadTs).filter((m) => m.bot_id)).toHaveLength(1);
    const row = await db.pool.query(
      `SELECT "status", "attempts", "externalId" FROM "NotificationDelivery" WHERE "dedupeKey" = $1`,
      [n.dedupeKey],
    );
    expect(row.rows[0]).toEqual({
      status: 'delivered',
      attempts: 2,
      externalId: slack.thread(channel, threadTs)[1]!.ts,
    });
  });

  it('Linear: finds the activity by the id derived from the dedupe key', async () => {
    const session = linear.state.addAgentSession({});
    const sender = linearSender(createLinearTracker({ accessToken: 'lin_oauth_test', apiUrl: linear.url }));
    const n: Notification = {
      channel: 'linear',
      target: { agentSessionId: session.id },
      dedupeKey: `act:${randomUUID()}`,
      title: '',
      body: 'Thinking',
      linearActivity: { type: 'thought' },
    };
    await crashAfterSend(n, () => sender.send(n, { attempts: 1 }));
    expect(await new Deliverer(store, { linear: sender }).deliver(n, logger)).toEqual({ kind: 'ack' });
    expect(linear.state.activitiesOf(session.id)).toHaveLength(1);
  });

  it('a second delivery while the first holds the lease waits instead of posting', async () => {
    const n: Notification = {
      channel: 'console',
      target: {},
      dedupeKey: `busy:${randomUUID()}`,
      title: '',
      body: 'x',
    };
    expect(await store.claim(n)).toEqual({ kind: 'claimed', attempts: 1 });
    expect(await store.claim(n)).toEqual({ kind: 'busy' });
    await store.delivered(n.dedupeKey, '1');
    expect(await store.claim(n)).toEqual({ kind: 'done' });
  });
});
