import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { serviceDatabaseUrl } from '@horizon/db';
import type { PrivatePostgres } from './postgres-server';
import type { TestDatabase } from './stack';

const MIGRATIONS = path.resolve(__dirname, '..', '..', '..', 'prisma', 'migrations');

/**
 * The `horizon` database on a private Postgres, migrated by running each migration's SQL in
 * order (what `prisma migrate deploy` runs, without its bookkeeping table, in well under a second):
 * the migrations also create every service's login role, so services connect as in production.
 */
export async function migratedPrivateDatabase(server: PrivatePostgres): Promise<TestDatabase> {
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query('CREATE DATABASE horizon');
  } finally {
    await admin.end();
  }
  const url = server.url.replace(/\/postgres$/, '/horizon');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const dir of fs.readdirSync(MIGRATIONS).sort()) {
      const file = path.join(MIGRATIONS, dir, 'migration.sql');
      if (!fs.existsSync(file)) continue;
      await client.query(fs.readFileSync(file, 'utf8')).catch((err: Error) => {
        throw new Error(`migration ${dir} failed on the private Postgres: ${err.message}`);
      });
    }
  } finally {
    await client.end();
  }
  return {
    url,
    name: 'horizon',
    urlFor: (service) => serviceDatabaseUrl(url, service),
    // The whole server goes with `server.destroy()`.
    drop: async () => undefined,
  };
}
