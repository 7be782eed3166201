import { defineConfig } from 'prisma/config';
import { MigrationAdapterFactory } from './libs/db/src/migration-adapter';

// Prisma's engine binaries cannot be downloaded here; the wasm schema engine with the pg
// adapter is what works offline (see docs/architecture.md, "Data").
export default defineConfig({
  schema: 'prisma/schema.prisma',
  engine: 'js',
  experimental: { adapter: true },
  adapter: async () => new MigrationAdapterFactory(process.env.DATABASE_URL ?? ''),
} as Parameters<typeof defineConfig>[0]);
