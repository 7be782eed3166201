import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { serviceDatabaseUrl, type ServiceWithSchema } from '@horizon/db';
import {
  ArtifactStore,
  JetStreamConnection,
  Naming,
  Publisher,
  STREAMS,
  StreamKey,
} from '@horizon/messaging';

/**
 * Per-suite isolation on the shared Postgres and NATS (DESIGN §7): each suite gets its own
 * database, cloned from the migrated template the bootstrap keeps warm, and its own stream
 * prefix; both are removed by `cleanup()`.
 */
function mainDatabaseUrl(): URL {
  return new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/horizon');
}

/** The bootstrap's template: `<main database>_template` (`horizon_template` by default). */
export function templateDatabase(): string {
  return `${mainDatabaseUrl().pathname.slice(1) || 'horizon'}_template`;
}

export function suiteId(): string {
  return `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

function adminUrl(): string {
  const url = mainDatabaseUrl();
  url.pathname = '/postgres';
  return url.toString();
}

export interface TestDatabase {
  /** As the migrating superuser: for set-up and assertions across schemas. */
  url: string;
  name: string;
  /** As `service` connects in production: its role, granted only its own schema. */
  urlFor(service: ServiceWithSchema): string;
  drop(): Promise<void>;
}

export async function createTestDatabase(id = suiteId()): Promise<TestDatabase> {
  const name = `hzn_${id}`.toLowerCase();
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  const template = templateDatabase();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } catch (err) {
    throw new Error(
      `cannot create test database from ${template}: ${(err as Error).message}. Run \`npm run bootstrap\` first (it migrates the template).`,
    );
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    urlFor: (service) => serviceDatabaseUrl(url.toString(), service),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => c.end());
    },
  };
}

export interface TestMessaging {
  natsUrl: string;
  prefix: string;
  /** Deletes every stream under the prefix. */
  cleanup(): Promise<void>;
}

export function natsUrl(): string {
  return process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
}

export async function createTestMessaging(id = suiteId()): Promise<TestMessaging> {
  const prefix = id.toUpperCase();
  return {
    natsUrl: natsUrl(),
    prefix,
    cleanup: async () => {
      const conn = await JetStreamConnection.connect({
        natsUrl: natsUrl(),
        prefix,
        name: `cleanup-${prefix}`,
      });
      const naming = new Naming(prefix);
      for (const key of Object.keys(STREAMS) as StreamKey[]) {
        await conn.jsm.streams.delete(naming.stream(key)).catch(() => undefined);
      }
      // The artifact store's object store lives in a stream of its own.
      await conn.jsm.streams.delete(`OBJ_${new ArtifactStore(conn).bucket}`).catch(() => undefined);
      await conn.close();
    },
  };
}

/** The test's own connection on `messaging`'s prefix, with its streams provisioned, and a publisher on it. */
export async function connectTestMessaging(
  messaging: TestMessaging,
  name: string,
): Promise<{ conn: JetStreamConnection; publisher: Publisher }> {
  const conn = await JetStreamConnection.connect({
    natsUrl: messaging.natsUrl,
    prefix: messaging.prefix,
    name,
  });
  await conn.provisionStreams();
  return { conn, publisher: new Publisher(conn) };
}
