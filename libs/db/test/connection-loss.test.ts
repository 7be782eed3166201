import { randomUUID } from 'node:crypto';
import { createDatabase, OutboxRelay } from '@horizon/db';
import type { Envelope } from '@horizon/contracts';
import { createLogger } from '@horizon/observability';
import { createTestDatabase, PrivatePostgres, startPrivatePostgres, TestDatabase } from '@horizon/testing';

describe('a dropped Postgres connection', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb.drop();
  });

  it('does not crash the process and the next query reconnects', async () => {
    const lost: string[] = [];
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      lost.push(String(chunk));
      return true;
    });
    const db = createDatabase(testDb.url);
    const { rows } = await db.pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const admin = createDatabase(testDb.url, 1);
    await admin.pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    await admin.close();
    const end = Date.now() + 5000;
    while (lost.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    stderr.mockRestore();
    expect(lost[0]).toMatch(/^postgres: idle connection lost: terminating connection/);
    expect((await db.prisma.workItem.count()) >= 0).toBe(true);
    await db.close();
  });
});

describe('Postgres restarting under a held transaction (a private server, pg_ctl -m immediate)', () => {
  let server: PrivatePostgres;
  beforeAll(async () => {
    server = await startPrivatePostgres();
  }, 60_000);
  afterAll(() => server?.destroy());

  it('fails that transaction, not the process, and the next transaction runs on a new connection', async () => {
    const db = createDatabase(server.url, 2);
    let restarted!: () => void;
    const restart = new Promise<void>((resolve) => (restarted = resolve));
    let begun!: () => void;
    const inTransaction = new Promise<void>((resolve) => (begun = resolve));
    // The client is checked out and idle (no query in flight) when its backend dies.
    const held = db.prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT 1`;
        begun();
        await restart;
        await tx.$queryRaw`SELECT 2`;
      },
      { timeout: 30_000 },
    );
    const outcome = held.then(
      () => 'committed',
      (err: Error) => err.message,
    );
    await inTransaction;
    await server.restartImmediately();
    restarted();
    expect(await outcome).not.toBe('committed');

    const answers = async () => {
      for (let attempt = 0; attempt < 20; attempt += 1) {
        try {
          return await db.prisma.$transaction(async (tx) => tx.$queryRaw<{ n: number }[]>`SELECT 3 AS n`);
        } catch {
          // Dead idle clients are discarded one failed query at a time.
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      throw new Error('Postgres did not answer after the restart');
    };
    expect(await answers()).toEqual([{ n: 3 }]);
    // No pool slot stays with the failed transaction: every client is back and idle, and the
    // pool can close (it waits for checked-out clients).
    expect(db.pool.idleCount).toBe(db.pool.totalCount);
    await db.close();
  }, 60_000);
});

describe('the outbox relay across a Postgres restart (a private server)', () => {
  let server: PrivatePostgres;
  beforeAll(async () => {
    server = await startPrivatePostgres();
    const db = createDatabase(server.url, 1);
    // The outbox's shape as the migrations make it in every service schema.
    await db.pool.query(`CREATE SCHEMA relaytest;
      CREATE TABLE relaytest."OutboxEvent" ("seq" bigserial PRIMARY KEY, "id" text NOT NULL,
        "subject" text NOT NULL, "envelope" jsonb NOT NULL, "sentAt" timestamptz,
        "attempts" int NOT NULL DEFAULT 0, "lastError" text)`);
    await db.close();
  }, 60_000);
  afterAll(() => server?.destroy());

  it('listens again after the restart: a row committed then is published at once, not at the next poll', async () => {
    const db = createDatabase(server.url, 2, 'relaytest' as never);
    const published: string[] = [];
    const relay = new OutboxRelay(
      db.pool,
      { publish: async (envelope: Envelope) => published.push(envelope.id) },
      createLogger('relay-test', 'silent'),
      { pollMs: 600_000 },
    );
    const append = async () => {
      const id = randomUUID();
      await db.pool.query(`INSERT INTO "OutboxEvent" ("id", "subject", "envelope") VALUES ($1, 'test', $2)`, [
        id,
        { id },
      ]);
      await db.pool.query(`SELECT pg_notify('hzn_outbox_relaytest', '')`);
      return id;
    };
    const wasPublished = async (id: string, ms: number) => {
      const end = Date.now() + ms;
      while (!published.includes(id) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      return published.includes(id);
    };
    await relay.start(server.url, 'relaytest');
    expect(await wasPublished(await append(), 5_000)).toBe(true);

    await server.restartImmediately();
    // The pool's dead idle clients fail one query each before it opens new ones.
    let after: string | undefined;
    for (let attempt = 0; attempt < 20 && !after; attempt += 1) {
      // Give the listener its reconnect (500 ms backoff) before the row is committed.
      await new Promise((r) => setTimeout(r, 300));
      after = await append().catch(() => undefined);
    }
    expect(after).toBeDefined();
    expect(await wasPublished(after!, 10_000)).toBe(true);
    await relay.stop();
    await db.close();
  }, 60_000);
});
