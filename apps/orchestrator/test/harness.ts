import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { INestApplication } from '@nestjs/common';
import pg from 'pg';
import {
  Contract,
  DataOf,
  Envelope,
  EnvelopeOf,
  envelopeFor,
  identityLink,
  notifyDeliver,
} from '@horizon/contracts';
import type { SourceRefs } from '@horizon/contracts';
import { parseConfig } from '@horizon/config';
import {
  ConsumerRunner,
  JetStreamConnection,
  MessageHandler,
  Publisher,
  RpcClient,
  StreamKey,
} from '@horizon/messaging';
import { createLogger } from '@horizon/observability';
import { startService } from '@horizon/runtime';
import {
  freePort,
  createTestDatabase,
  createTestMessaging,
  SandboxStandIn,
  ServiceProcess,
  startServiceProcess,
  TestDatabase,
  TestMessaging,
  until,
} from '@horizon/testing';
import { OrchestratorModule } from '../src/app.module';
import { configShape } from '../src/config';

const logger = createLogger('orchestrator-test', process.env.TEST_LOG_LEVEL ?? 'silent');

export { SandboxStandIn, until };

export interface StoredItem {
  state: string;
  branch: string | null;
  version: number;
  sourceRefs: SourceRefs;
  ownerId: string | null;
}

export interface OrchestratorStackOptions {
  /** Config variables on top of the test defaults. */
  env?: Record<string, string>;
}

/**
 * One orchestrator in-process over its own database and stream prefix, with the sandbox
 * stand-in and a notify recorder on the real command stream, identity-broker (the real one,
 * as its own process: owners are resolved through its RPCs), and a Postgres pool to look.
 */
export class OrchestratorStack {
  app?: INestApplication;
  /** More orchestrators on the same database and streams, as a deployment's replicas. */
  readonly replicas: INestApplication[] = [];
  identityBroker?: ServiceProcess;
  readonly standIn: SandboxStandIn;
  readonly notifications: EnvelopeOf<typeof notifyDeliver>[] = [];
  private readonly runners: ConsumerRunner[] = [];

  private constructor(
    readonly db: TestDatabase,
    readonly messaging: TestMessaging,
    readonly pool: pg.Pool,
    readonly connection: JetStreamConnection,
    readonly publisher: Publisher,
    private readonly env: Record<string, string>,
  ) {
    this.standIn = new SandboxStandIn(publisher);
  }

  static async start(options: OrchestratorStackOptions = {}): Promise<OrchestratorStack> {
    const [db, messaging] = await Promise.all([createTestDatabase(), createTestMessaging()]);
    const connection = await JetStreamConnection.connect({
      natsUrl: messaging.natsUrl,
      prefix: messaging.prefix,
      name: 'orchestrator-test',
    });
    await connection.provisionStreams();
    const stack = new OrchestratorStack(
      db,
      messaging,
      // The tests look at the orchestrator's tables and seed identity-broker's people: both schemas.
      new pg.Pool({ connectionString: db.url, max: 4, options: '-c search_path=orchestrator,identity' }),
      connection,
      new Publisher(connection),
      {
        // As in production: its own role, refused on every other service's schema.
        DATABASE_URL: db.urlFor('orchestrator'),
        NATS_URL: messaging.natsUrl,
        HZN_STREAM_PREFIX: messaging.prefix,
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
        SCHEDULER_INTERVAL_MS: '500',
        ...options.env,
      },
    );
    await stack.consume('sandbox-standin', 'CMD', 'hzn.cmd.sandbox.>', stack.standIn.handlers());
    await stack.consume(
      'notify-recorder',
      'CMD',
      'hzn.cmd.notify.>',
      new Map([
        [
          notifyDeliver.subject,
          (env) => void stack.notifications.push(env as EnvelopeOf<typeof notifyDeliver>),
        ],
      ]),
    );
    try {
      await stack.startIdentityBroker();
      await stack.boot();
    } catch (err) {
      await stack.stop();
      throw err;
    }
    return stack;
  }

  async startIdentityBroker(): Promise<void> {
    if (this.identityBroker) return this.identityBroker.start();
    this.identityBroker = await startServiceProcess('identity-broker', {
      db: this.db,
      messaging: this.messaging,
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'orchestrator-broker-')),
    });
  }

  async stopIdentityBroker(): Promise<void> {
    await this.identityBroker?.stop();
  }

  /** A person whose account is linked to a new Horizon identity, through identity-broker; returns the identity id. */
  async linkPerson(displayName: string, provider: 'linear' | 'slack', externalId: string): Promise<string> {
    const { identity } = await new RpcClient(this.connection, 'orchestrator-test').call(identityLink, {
      displayName,
      provider,
      externalId,
    });
    return identity.id;
  }

  /** A durable consumer owned by the test, on the suite's prefix. */
  async consume(
    durable: string,
    stream: StreamKey,
    filterSubject: string,
    handlers: Map<string, MessageHandler>,
  ) {
    const runner = new ConsumerRunner(
      this.connection,
      this.publisher,
      { durable, stream, filterSubject, handlers, ackWaitMs: 5000, backoffMs: [100] },
      logger,
    );
    await runner.start();
    this.runners.push(runner);
    return runner;
  }

  /** Starts `app`; `env` changes its configuration from the stack's (e.g. a setting turned off). */
  async boot(env: Record<string, string> = {}): Promise<void> {
    this.app = await this.startOrchestrator(env);
  }

  /** Another orchestrator beside `app`: same database, same streams, same configuration. */
  async bootReplica(): Promise<INestApplication> {
    const replica = await this.startOrchestrator();
    this.replicas.push(replica);
    return replica;
  }

  private async startOrchestrator(env: Record<string, string> = {}): Promise<INestApplication> {
    const port = await freePort();
    const config = parseConfig(configShape, { ...this.env, ...env, ORCHESTRATOR_PORT: String(port) });
    return startService({ name: 'orchestrator', module: OrchestratorModule.register(config), port });
  }

  async stopApp(): Promise<void> {
    await this.app?.close();
    this.app = undefined;
  }

  async publish<C extends Contract>(
    contract: C,
    data: DataOf<C>,
    id: string = randomUUID(),
  ): Promise<Envelope> {
    const env = envelopeFor(contract, data, { source: 'ingress', id });
    await this.publisher.publish(env);
    return env;
  }

  async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query<T>(sql, params)).rows;
  }

  async item(id: string): Promise<StoredItem> {
    const [row] = await this.query<StoredItem>(
      'SELECT state::text, branch, version, "sourceRefs", "ownerId"::text FROM "WorkItem" WHERE id = $1',
      [id],
    );
    return row as StoredItem;
  }

  async waitForState(id: string, state: string, timeoutMs = 10_000): Promise<void> {
    await until(
      async () => (await this.item(id))?.state === state,
      `work item ${id} to be ${state}`,
      timeoutMs,
    ).catch(async (err) => {
      throw new Error(`${(err as Error).message}; it is ${(await this.item(id))?.state ?? 'missing'}`);
    });
  }

  async runsOf(id: string) {
    return this.query<{
      id: string;
      attempt: number;
      branch: string;
      outcome: string | null;
      sandboxId: string;
      inputTokens: number;
      failureReason: string | null;
    }>(
      'SELECT id::text, attempt, branch, outcome::text, "sandboxId"::text, "inputTokens", "failureReason" FROM "Run" WHERE "workItemId" = $1 ORDER BY attempt',
      [id],
    );
  }

  async transitionsOf(id: string): Promise<string[]> {
    const rows = await this.query<{ fromState: string; toState: string }>(
      `SELECT "fromState", "toState" FROM "AuditEvent" WHERE "workItemId" = $1 AND action = 'transition' ORDER BY "createdAt", "fromState"`,
      [id],
    );
    return rows.map((r) => `${r.fromState}→${r.toState}`);
  }

  async stop(): Promise<void> {
    await this.stopApp();
    await Promise.all(this.replicas.splice(0).map((r) => r.close()));
    await this.stopIdentityBroker();
    await Promise.all(this.runners.splice(0).map((r) => r.stop()));
    await this.connection.close();
    await this.pool.end();
    await Promise.all([this.db.drop(), this.messaging.cleanup()]);
  }
}
