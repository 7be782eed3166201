import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';
import { createPgPool } from './libs/db/src/pg-catalog-types';

// Prisma's engine binaries cannot be downloaded here; the wasm schema engine with the pg
// adapter is what works offline (see docs/architecture.md, "Data").
export default defineConfig({
  schema: 'prisma/schema.prisma',
  engine: 'js',
  experimental: { adapter: true },
  adapter: async () => new PrismaPg(createPgPool(process.env.DATABASE_URL ?? '', 2)),
} as Parameters<typeof defineConfig>[0]);
