import { createDatabase, Database } from '@horizon/db';
import { createSlackChat } from '@horizon/integrations-slack';
import { createLogger } from '@horizon/observability';
import { SlackStandin, startSlackStandin, createTestDatabase, TestDatabase } from '@horizon/testing';
import { slackSender } from '../src/application/channels';
import type { Notification } from '../src/domain/compose';
import { Deliverer } from '../src/application/deliverer';
import { DeliveryStore } from '../src/persistence/delivery-store';

const logger = createLogger('test', 'silent');

/**
 * The notifier handles events concurrently, so a status update from an older event can reach
 * the deliverer after a newer one. It must be skipped, not shown over the newer status.
 */
describe('one status message under out-of-order events (real Postgres, Slack stand-in)', () => {
  let testDb: TestDatabase;
  let db: Database;
  let slack: SlackStandin;
  let deliverer: Deliverer;

  beforeAll(async () => {
    [testDb, slack] = await Promise.all([createTestDatabase(), startSlackStandin()]);
    db = createDatabase(testDb.url, 4, 'notifier');
    deliverer = new Deliverer(new DeliveryStore(db.pool), {
      slack: slackSender(createSlackChat({ token: slack.token, slackApiUrl: slack.url })),
    });
  });
  afterAll(async () => {
    await db.close();
    await Promise.all([slack.close(), testDb.drop()]);
  });

  const status = (channel: string, threadTs: string, state: string): Notification => ({
    channel: 'slack',
    target: { channel, threadTs },
    dedupeKey: `status-order:${threadTs}:${state}`,
    updateKey: `status:${threadTs}`,
    title: '',
    body: `Fix the login bug · *${state}*`,
  });

  it('skips an older event handled after a newer one, and still applies newer ones after it', async () => {
    const channel = slack.addChannel();
    const threadTs = slack.addUserMessage(channel, '<@U0HORIZON> fix the login bug');
    const bot = () => slack.thread(channel, threadTs).filter((m) => m.bot_id);

    expect((await deliverer.deliver(status(channel, threadTs, 'queued'), logger, 10)).kind).toBe('ack');
    expect((await deliverer.deliver(status(channel, threadTs, 'running'), logger, 30)).kind).toBe('ack');
    // The `provisioning` event came between them on the stream but is handled last.
    expect((await deliverer.deliver(status(channel, threadTs, 'provisioning'), logger, 20)).kind).toBe('ack');
    expect(bot()).toHaveLength(1);
    expect(bot()[0]!.text).toContain('*running*');
    expect(bot()[0]!.history.some((t) => t.includes('provisioning'))).toBe(false);
    const [row] = (
      await db.pool.query<{ status: string }>(
        `SELECT status FROM "NotificationDelivery" WHERE "dedupeKey" = $1`,
        [`status-order:${threadTs}:provisioning`],
      )
    ).rows;
    expect(row!.status).toBe('superseded');

    // Redelivered, the skipped update stays skipped; a newer event still edits the message.
    await deliverer.deliver(status(channel, threadTs, 'provisioning'), logger, 20);
    await deliverer.deliver(status(channel, threadTs, 'verifying'), logger, 40);
    expect(bot()).toHaveLength(1);
    expect(bot()[0]!.history.map((t) => t.match(/\*(\w+)\*/)![1])).toEqual([
      'queued',
      'running',
      'verifying',
    ]);
  });
});
