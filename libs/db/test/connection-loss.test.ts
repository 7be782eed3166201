import { createDatabase } from '@horizon/db';
import { createTestDatabase, TestDatabase } from '@horizon/testing';

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
