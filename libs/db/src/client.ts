import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';
import { createPgPool } from './pg-catalog-types';
import type { ServiceSchema } from './service-schemas';

export { PrismaClient, Prisma } from './generated/prisma/client';
export type * from './generated/prisma/client';

/**
 * One service's database access: the Prisma client over node-postgres (no engine binary, so
 * it works offline) and the pool beneath it, for the few places that need plain SQL
 * (the outbox relay holds row locks across a publish; LISTEN needs its own connection).
 */
export interface Database {
  url: string;
  /** The service's own schema: the search_path of every connection (see service-schemas.ts). */
  schema: ServiceSchema | undefined;
  prisma: PrismaClient;
  pool: pg.Pool;
  close(): Promise<void>;
}

export function createDatabase(url: string, poolSize = 10, schema?: ServiceSchema): Database {
  const pool = createPgPool(url, poolSize, undefined, schema);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    url,
    schema,
    prisma,
    pool,
    close: async () => {
      await prisma.$disconnect();
      await pool.end().catch(() => undefined);
    },
  };
}

/** What a transaction callback receives from `prisma.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
