import { randomUUID } from 'node:crypto';
import { Envelope, envelopeFor, workItemStateChanged } from '@horizon/contracts';
import {
  appendToOutbox,
  claimMessage,
  createDatabase,
  serviceDatabaseUrl,
  Database,
  OutboxRelay,
  EnvelopePublisher,
} from '@horizon/db';
import { JetStreamConnection, Publisher } from '@horizon/messaging';
import { createLogger } from '@horizon/observability';
import {
  connectTestMessaging,
  createTestDatabase,
  createTestMessaging,
  TestDatabase,
  TestMessaging,
} from '@horizon/testing';

const logger = createLogger('test', 'silent');

function event(): Envelope {
  return envelopeFor(
    workItemStateChanged,
    {
      workItemId: randomUUID(),
      from: 'queued',
      to: 'provisioning',
      cause: 'test',
      runId: null,
      sourceRefs: {},
    },
    { source: 'test' },
  );
}

async function until(probe: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('outbox and inbox (real Postgres, real JetStream)', () => {
  let testDb: TestDatabase;
  let messaging: TestMessaging;
  let db: Database;
  let conn: JetStreamConnection;
  let publisher: Publisher;

  beforeAll(async () => {
    [testDb, messaging] = await Promise.all([createTestDatabase(), createTestMessaging()]);
    // As the orchestrator connects: its role, its schema (outbox and inbox are per service).
    db = createDatabase(serviceDatabaseUrl(testDb.url, 'orchestrator'), 10, 'orchestrator');
    ({ conn, publisher } = await connectTestMessaging(messaging, 'db-test'));
  });

  afterAll(async () => {
    await db.close();
    await conn.close();
    await Promise.all([testDb.drop(), messaging.cleanup()]);
  });

  async function streamCount(): Promise<number> {
    return (await conn.jsm.streams.info(conn.naming.stream('EVT'))).state.messages;
  }

  async function storedIds(): Promise<string[]> {
    const stream = conn.naming.stream('EVT');
    const info = await conn.jsm.streams.info(stream);
    const ids: string[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const m = await conn.jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (m) ids.push(m.json<Envelope>().id);
    }
    return ids;
  }

  it('writes events only when the transaction that announces them commits', async () => {
    const committed = event();
    const rolledBack = event();
    await db.prisma.$transaction(async (tx) => appendToOutbox(tx, [committed]));
    await expect(
      db.prisma.$transaction(async (tx) => {
        await appendToOutbox(tx, [rolledBack]);
        throw new Error('state change failed');
      }),
    ).rejects.toThrow('state change failed');
    const rows = await db.prisma.outboxEvent.findMany({
      where: { id: { in: [committed.id, rolledBack.id] } },
    });
    expect(rows.map((r) => r.id)).toEqual([committed.id]);
    await new OutboxRelay(db.pool, publisher, logger).drain();
    expect(await storedIds()).toContain(committed.id);
    expect(await storedIds()).not.toContain(rolledBack.id);
  });

  it('publishes exactly once when the relay crashes between publish and marking sent', async () => {
    const e = event();
    await db.prisma.$transaction(async (tx) => appendToOutbox(tx, [e]));
    const before = await streamCount();
    // A relay whose process dies right after JetStream acked the publish: the row stays unsent.
    const crashing: EnvelopePublisher = {
      publish: async (env) => {
        await publisher.publish(env);
        throw new Error('process killed after publish');
      },
    };
    await new OutboxRelay(db.pool, crashing, logger).drain();
    const row = await db.prisma.outboxEvent.findUniqueOrThrow({ where: { id: e.id } });
    expect(row.sentAt).toBeNull();
    expect(row.lastError).toBe('process killed after publish');
    expect(await streamCount()).toBe(before + 1);

    // The restarted relay publishes the same row again; Nats-Msg-Id de-duplication keeps one.
    await new OutboxRelay(db.pool, publisher, logger).drain();
    expect((await db.prisma.outboxEvent.findUniqueOrThrow({ where: { id: e.id } })).sentAt).not.toBeNull();
    expect(await streamCount()).toBe(before + 1);
    expect((await storedIds()).filter((id) => id === e.id)).toHaveLength(1);
  });

  it('lets two relays run at once without publishing any event twice', async () => {
    const events = Array.from({ length: 200 }, event);
    for (let i = 0; i < events.length; i += 50) {
      await db.prisma.$transaction(async (tx) => appendToOutbox(tx, events.slice(i, i + 50)));
    }
    const before = await streamCount();
    const published: string[] = [];
    const counting = (name: string): EnvelopePublisher => ({
      publish: async (env) => {
        published.push(`${name}:${env.id}`);
        return publisher.publish(env);
      },
    });
    const a = new OutboxRelay(db.pool, counting('a'), logger, { batchSize: 10 });
    const b = new OutboxRelay(db.pool, counting('b'), logger, { batchSize: 10 });
    await Promise.all([a.drain(), b.drain()]);
    const ids = published.map((p) => p.split(':')[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(events.map((e) => e.id)));
    expect(published.some((p) => p.startsWith('a:'))).toBe(true);
    expect(published.some((p) => p.startsWith('b:'))).toBe(true);
    expect(await streamCount()).toBe(before + events.length);
    expect(await db.prisma.outboxEvent.count({ where: { sentAt: null } })).toBe(0);
  });

  it('wakes on commit through LISTEN/NOTIFY instead of waiting for the poll', async () => {
    const relay = new OutboxRelay(db.pool, publisher, logger, { pollMs: 60_000 });
    await relay.start(db.url, 'orchestrator');
    try {
      const e = event();
      const t0 = Date.now();
      await db.prisma.$transaction(async (tx) => appendToOutbox(tx, [e]));
      await until(
        async () => (await db.prisma.outboxEvent.findUniqueOrThrow({ where: { id: e.id } })).sentAt !== null,
      );
      expect(Date.now() - t0).toBeLessThan(5000);
    } finally {
      await relay.stop();
    }
  });

  it('makes a redelivered message a no-op through the inbox', async () => {
    const envelopeId = randomUUID();
    const workItemId = randomUUID();
    const apply = () =>
      db.prisma.$transaction(async (tx) => {
        if (!(await claimMessage(tx, 'orchestrator', envelopeId))) return 'duplicate';
        await tx.workItem.create({
          data: { id: workItemId, kind: 'implement', state: 'queued', repo: 'acme/app', title: 'x' },
        });
        return 'applied';
      });
    expect(await apply()).toBe('applied');
    expect(await apply()).toBe('duplicate');
    expect(await db.prisma.workItem.count({ where: { id: workItemId } })).toBe(1);
    // Another consumer applies the same envelope independently.
    expect(await db.prisma.$transaction((tx) => claimMessage(tx, 'notifier', envelopeId))).toBe(true);
  });

  it('forgets the inbox claim when the handler transaction fails, so the retry applies', async () => {
    const envelopeId = randomUUID();
    await expect(
      db.prisma.$transaction(async (tx) => {
        await claimMessage(tx, 'orchestrator', envelopeId);
        throw new Error('crash mid-handler');
      }),
    ).rejects.toThrow('crash mid-handler');
    expect(await db.prisma.$transaction((tx) => claimMessage(tx, 'orchestrator', envelopeId))).toBe(true);
  });
});
