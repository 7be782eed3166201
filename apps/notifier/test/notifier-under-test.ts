import type { INestApplication } from '@nestjs/common';
import { parseConfig } from '@horizon/config';
import { createDatabase, Database } from '@horizon/db';
import type { JetStreamConnection, Publisher } from '@horizon/messaging';
import { startService } from '@horizon/runtime';
import {
  connectTestMessaging,
  createTestDatabase,
  createTestMessaging,
  freePort,
  type TestDatabase,
  type TestMessaging,
} from '@horizon/testing';
import { NotifierModule } from '../src/app.module';
import { configShape } from '../src/config';

export interface NotifierUnderTest {
  db: TestDatabase;
  messaging: TestMessaging;
  app: INestApplication;
  port: number;
  /** The test's own connection on the suite's prefix, and a publisher on it. */
  conn: JetStreamConnection;
  publisher: Publisher;
  /** The suite's database, to read what the notifier recorded. */
  database: Database;
  stop(): Promise<void>;
}

/**
 * The notifier module on a database and stream prefix of the suite's own, configured with
 * `env` on top (the stand-ins' URLs and tokens): the set-up every notifier suite shared.
 */
export async function startNotifier(name: string, env: Record<string, string>): Promise<NotifierUnderTest> {
  const [db, messaging, port] = await Promise.all([createTestDatabase(), createTestMessaging(), freePort()]);
  const config = parseConfig(configShape, {
    DATABASE_URL: db.urlFor('notifier'),
    NATS_URL: messaging.natsUrl,
    HZN_STREAM_PREFIX: messaging.prefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NOTIFIER_PORT: String(port),
    ...env,
  });
  const app = await startService({ name: 'notifier', module: NotifierModule.register(config), port });
  const { conn, publisher } = await connectTestMessaging(messaging, name);
  const database = createDatabase(db.url, 2, 'notifier');
  return {
    db,
    messaging,
    app,
    port,
    conn,
    publisher,
    database,
    async stop() {
      await app.close();
      await conn.close();
      await database.close();
      await Promise.all([db.drop(), messaging.cleanup()]);
    },
  };
}
