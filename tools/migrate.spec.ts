import pg from 'pg';
import { startPrivatePostgres, type PrivatePostgres } from '@horizon/testing';

import type * as Migrate from './migrate.mjs' with { 'resolution-mode': 'import' };

const load = () => import('./migrate.mjs') as Promise<typeof Migrate>;

// The deployment's database step (the migrate image). Roles are global to a Postgres cluster,
// so this runs on a private one: the machine's shared cluster keeps its roles as they are.
describe('tools/migrate.mjs', () => {
  let postgres: PrivatePostgres;
  beforeAll(async () => {
    postgres = await startPrivatePostgres();
  }, 30_000);
  afterAll(() => postgres?.destroy());

  it('migrates an empty database and sets each service role the password of its own URL', async () => {
    const { migrate } = await load();
    const host = `127.0.0.1:${postgres.port}`;
    const env = {
      ...process.env,
      DATABASE_URL: `postgresql://postgres@${host}/postgres`,
      ORCHESTRATOR_DATABASE_URL: `postgresql://hzn_orchestrator:s3cret%27quote@${host}/postgres`,
      FORGE_DATABASE_URL: `postgresql://hzn_forge:other@${host}/postgres`,
    };
    const roles = await migrate(env, () => undefined);
    expect(roles).toEqual(['hzn_orchestrator', 'hzn_forge']);
    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ rolname: string; scram: boolean }>(
        `SELECT rolname, rolpassword LIKE 'SCRAM-SHA-256$%' AS scram FROM pg_authid WHERE rolname LIKE 'hzn_%' ORDER BY rolname`,
      );
      const scram = Object.fromEntries(rows.map((r) => [r.rolname, r.scram]));
      expect(scram).toMatchObject({ hzn_orchestrator: true, hzn_forge: true, hzn_ingress: null });
      const tables = await client.query(
        `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'orchestrator'`,
      );
      expect(tables.rows[0].n).toBeGreaterThan(3);
    } finally {
      await client.end();
    }
  }, 60_000);

  it("refuses a service URL that is not that service's role, or has no password, before touching anything", async () => {
    const { rolePasswords } = await load();
    expect(() => rolePasswords({ NOTIFIER_DATABASE_URL: 'postgresql://postgres:x@db/horizon' })).toThrow(
      /NOTIFIER_DATABASE_URL connects as "postgres": it must be the service's role hzn_notifier/,
    );
    expect(() => rolePasswords({ NOTIFIER_DATABASE_URL: 'postgresql://hzn_notifier@db/horizon' })).toThrow(
      /NOTIFIER_DATABASE_URL has no password/,
    );
  });
});
