import type { ServiceWithSchema } from '@horizon/db';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { ConsumerRunner, type JetStreamConnection, type Publisher } from '@horizon/messaging';
import { createLogger } from '@horizon/observability';
import { startService } from '@horizon/runtime';
import {
  connectTestMessaging,
  createTestDatabase,
  createTestMessaging,
  freePort,
  SandboxStandIn,
  type TestDatabase,
  type TestMessaging,
} from '@horizon/testing';

/**
 * Several services in the test's process on one database, stream prefix and data directory of
 * the suite's own, with the test's connection on that prefix: the set-up the suites that boot
 * more than one service shared.
 */
export class ServicesUnderTest {
  private readonly apps: INestApplication[] = [];
  private readonly runners: ConsumerRunner[] = [];

  private constructor(
    readonly db: TestDatabase,
    readonly messaging: TestMessaging,
    readonly dataDir: string,
    readonly conn: JetStreamConnection,
    readonly publisher: Publisher,
  ) {}

  static async start(name: string): Promise<ServicesUnderTest> {
    const [db, messaging] = await Promise.all([createTestDatabase(), createTestMessaging()]);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
    const { conn, publisher } = await connectTestMessaging(messaging, name);
    return new ServicesUnderTest(db, messaging, dataDir, conn, publisher);
  }

  /** What every service here is configured with (as the owner); each adds its port and settings. */
  get env(): Record<string, string> {
    return {
      DATABASE_URL: this.db.url,
      NATS_URL: this.messaging.natsUrl,
      HZN_STREAM_PREFIX: this.messaging.prefix,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      HORIZON_DATA_DIR: this.dataDir,
    };
  }

  /**
   * Boots one service on a free port; `register` builds its module for that port and the
   * service's environment, whose DATABASE_URL is the service's own role, as in production.
   */
  async boot(
    name: ServiceWithSchema,
    register: (port: string, env: Record<string, string>) => DynamicModule,
  ): Promise<INestApplication> {
    const port = await freePort();
    const env = { ...this.env, DATABASE_URL: this.db.urlFor(name) };
    const app = await startService({ name, module: register(String(port), env), port });
    this.apps.push(app);
    return app;
  }

  /** Stops one booted service (a restart is `close` then `boot`). */
  async close(app: INestApplication): Promise<void> {
    this.apps.splice(this.apps.indexOf(app), 1);
    await app.close();
  }

  /** sandbox-manager's stand-in on the command stream: it records commands and reports runs that succeed. */
  async sandboxStandIn(): Promise<SandboxStandIn> {
    const standIn = new SandboxStandIn(this.publisher);
    const runner = new ConsumerRunner(
      this.conn,
      this.publisher,
      {
        durable: 'sandbox-standin',
        stream: 'CMD',
        filterSubject: 'hzn.cmd.sandbox.>',
        handlers: standIn.handlers(),
        ackWaitMs: 5000,
        backoffMs: [100],
      },
      createLogger('sandbox-standin', process.env.TEST_LOG_LEVEL ?? 'silent'),
    );
    await runner.start();
    this.runners.push(runner);
    return standIn;
  }

  /** Closes the stand-ins and the services in reverse order, then the connection, and removes what the suite made. */
  async stop(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
    for (const app of this.apps.reverse()) await app.close();
    await this.conn.close();
    await Promise.all([this.db.drop(), this.messaging.cleanup()]);
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
