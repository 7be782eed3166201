import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createTestDatabase, TestDatabase } from '@horizon/testing';

/**
 * Migrations are written by hand where Prisma cannot (moving tables between schemas, roles):
 * replaying them on a throwaway database must give exactly what prisma/schema.prisma says,
 * or the generated client and the tables disagree.
 */
describe('prisma/migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('replay to exactly prisma/schema.prisma (real Postgres, shadow database)', () => {
    const root = path.join(__dirname, '..', '..', '..');
    const res = spawnSync(
      'npx',
      [
        'prisma',
        'migrate',
        'diff',
        '--from-migrations',
        'prisma/migrations',
        '--to-schema-datamodel',
        'prisma/schema.prisma',
        '--script',
        '--exit-code',
      ],
      { cwd: root, env: { ...process.env, DATABASE_URL: db.url }, encoding: 'utf8', timeout: 90_000 },
    );
    const sql = res.stdout.replace(/^Loaded Prisma config.*\n/m, '').trim();
    expect({ status: res.status, sql }).toEqual({ status: 0, sql: '-- This is an empty migration.' });
  }, 120_000);
});
