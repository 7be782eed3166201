import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { createPgPool } from './pg-catalog-types';

type Adapter = Awaited<ReturnType<PrismaPg['connect']>>;

/**
 * The adapter `prisma migrate` runs through (prisma.config.ts). @prisma/adapter-pg 6.19 runs a
 * migration script by splitting it on every ";" — inside comments and `DO $$ … $$` blocks too —
 * and sending the pieces one by one outside any transaction. A migration that creates the
 * service roles needs a DO block, so this one sends the script whole: Postgres runs a
 * multi-statement simple query as one implicit transaction, so a failing migration also
 * leaves nothing half applied.
 */
export class MigrationAdapterFactory extends PrismaPg {
  private readonly pool: pg.Pool;

  constructor(
    private readonly url: string,
    pool = createPgPool(url, 2),
  ) {
    super(pool);
    this.pool = pool;
  }

  override async connect(): Promise<Adapter> {
    return runsScriptsWhole(await super.connect(), this.pool);
  }

  /** `migrate diff --from-migrations` replays the migrations on a throwaway database. */
  override async connectToShadowDb(): Promise<Adapter> {
    const database = `prisma_migrate_shadow_db_${randomUUID().replace(/-/g, '')}`;
    await this.pool.query(`CREATE DATABASE "${database}"`);
    const url = new URL(this.url);
    url.pathname = `/${database}`;
    const shadowPool = createPgPool(url.toString(), 2);
    const adapter = runsScriptsWhole(await new PrismaPg(shadowPool).connect(), shadowPool);
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await shadowPool.end();
      await this.pool.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    };
    return adapter;
  }
}

function runsScriptsWhole(adapter: Adapter, pool: pg.Pool): Adapter {
  adapter.executeScript = async (script: string) => {
    await pool.query(script);
  };
  return adapter;
}
