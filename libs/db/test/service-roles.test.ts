import pg from 'pg';
import { SERVICE_SCHEMAS, schemaRole, serviceDatabaseUrl, type ServiceWithSchema } from '@horizon/db';
import { createTestDatabase, TestDatabase } from '@horizon/testing';

/**
 * Issue #14: each service owns one schema and connects as a role granted only that schema.
 * Every service role is tried on every table of every schema (real Postgres, the migrated
 * template): its own answer, every other refuses with permission denied.
 */
const SERVICES = Object.keys(SERVICE_SCHEMAS) as ServiceWithSchema[];
const PERMISSION_DENIED = '42501';

describe('service schemas and roles (real Postgres)', () => {
  let testDb: TestDatabase;
  let admin: pg.Client;
  let tables: { schema: string; table: string }[];

  beforeAll(async () => {
    testDb = await createTestDatabase();
    admin = new pg.Client({ connectionString: testDb.url });
    await admin.connect();
    const { rows } = await admin.query<{ schema: string; table: string }>(
      `SELECT table_schema AS schema, table_name AS table FROM information_schema.tables
        WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
    );
    tables = rows;
  });

  afterAll(async () => {
    await admin.end();
    await testDb.drop();
  });

  it('keeps every table in a service schema; public holds only the migration history', () => {
    const schemas = new Set<string>(Object.values(SERVICE_SCHEMAS));
    const stray = tables.filter((t) => !schemas.has(t.schema) && t.table !== '_prisma_migrations');
    expect(stray).toEqual([]);
    for (const schema of schemas) expect(tables.some((t) => t.schema === schema)).toBe(true);
  });

  it.each(SERVICES)('%s reads and writes its own schema and is refused every other', async (service) => {
    const own = SERVICE_SCHEMAS[service];
    const client = new pg.Client({ connectionString: serviceDatabaseUrl(testDb.url, service) });
    await client.connect();
    try {
      const { rows } = await client.query<{ user: string }>('SELECT current_user AS user');
      expect(rows[0]!.user).toBe(schemaRole(own));
      const refused: string[] = [];
      const answered: string[] = [];
      for (const { schema, table } of tables) {
        const name = `"${schema}"."${table}"`;
        const outcome = await client.query(`SELECT 1 FROM ${name} LIMIT 1`).then(
          () => 'answered',
          (err: { code?: string; message: string }) => {
            if (err.code !== PERMISSION_DENIED) throw new Error(`${name}: ${err.message}`);
            return 'refused';
          },
        );
        (outcome === 'answered' ? answered : refused).push(name);
      }
      const ownTables = tables.filter((t) => t.schema === own).map((t) => `"${t.schema}"."${t.table}"`);
      expect(answered.sort()).toEqual(ownTables.sort());
      expect(refused).toHaveLength(tables.length - ownTables.length);

      await expect(client.query(`CREATE TABLE public.stray (id int)`)).rejects.toMatchObject({
        code: PERMISSION_DENIED,
      });
      await expect(client.query(`CREATE TABLE "${own}".stray (id int)`)).rejects.toMatchObject({
        code: PERMISSION_DENIED,
      });
    } finally {
      await client.end();
    }
  });

  it('lets a role write its own tables (the orchestrator appends to its outbox)', async () => {
    const client = new pg.Client({ connectionString: serviceDatabaseUrl(testDb.url, 'orchestrator') });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO orchestrator."OutboxEvent" ("id", "subject", "envelope") VALUES ('role-test', 's', '{}')`,
      );
      const { rows } = await client.query(
        `SELECT "seq" FROM orchestrator."OutboxEvent" WHERE "id" = 'role-test'`,
      );
      expect(rows).toHaveLength(1);
      await expect(
        client.query(`INSERT INTO forge."OutboxEvent" ("id", "subject", "envelope") VALUES ('x', 's', '{}')`),
      ).rejects.toMatchObject({ code: PERMISSION_DENIED });
    } finally {
      await client.end();
    }
  });
});
