import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  consoleCreateSignInLink,
  createEnvelope,
  type ConsoleRole,
  type Contract,
  type DataOf,
} from '@horizon/contracts';
import { parseConfig } from '@horizon/config';
import { JetStreamConnection, Publisher, RpcClient } from '@horizon/messaging';
import type { ServiceWithSchema } from '@horizon/db';
import { startService } from '@horizon/runtime';
import {
  connectTestMessaging,
  createTestDatabase,
  createTestMessaging,
  freePort,
  startServiceProcess,
  type ServiceProcess,
  type TestDatabase,
  type TestMessaging,
} from '@horizon/testing';
import { configShape } from '../../src/config';
import { consoleService } from '../../src/server';

/** A signed-in browser, as far as HTTP goes: its cookie and the CSRF token its page read. */
export interface Browser {
  cookie: string;
  csrfToken: string;
  personId: string;
}

/**
 * The console in process, against its own database and stream prefix, with the real
 * orchestrator (its own process, its own role) answering the RPCs the console reads through.
 */
export class ConsoleUnderTest {
  private constructor(
    readonly url: string,
    readonly app: NestFastifyApplication,
    readonly db: TestDatabase,
    readonly messaging: TestMessaging,
    readonly conn: JetStreamConnection,
    private readonly publisher: Publisher,
    private readonly orchestrator: ServiceProcess,
    readonly webDir: string,
    private readonly dataDir: string,
  ) {}

  private readonly peers: ServiceProcess[] = [];

  /** Another real service beside the orchestrator (its own process and role), stopped with the console. */
  async startPeer(service: ServiceWithSchema, env: Record<string, string> = {}): Promise<ServiceProcess> {
    const peer = await startServiceProcess(service, {
      db: this.db,
      messaging: this.messaging,
      dataDir: this.dataDir,
      env,
    });
    this.peers.push(peer);
    return peer;
  }

  /**
   * `env`: more of the console's configuration, e.g. a forge under test or a short presence
   * timeout (`CONSOLE_PORT` too, when a provider must know the callback URL beforehand).
   */
  static async start(env: Record<string, string> = {}): Promise<ConsoleUnderTest> {
    const [db, messaging] = await Promise.all([createTestDatabase(), createTestMessaging()]);
    const { conn, publisher } = await connectTestMessaging(messaging, 'console-test');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-test-'));
    const orchestrator = await startServiceProcess('orchestrator', { db, messaging, dataDir });
    const webDir = path.join(dataDir, 'web');
    fs.mkdirSync(webDir);
    fs.writeFileSync(
      path.join(webDir, 'index.html'),
      '<!doctype html><title>Horizon</title><div id="root"></div>',
    );
    const port = env.CONSOLE_PORT ? Number(env.CONSOLE_PORT) : await freePort();
    const config = parseConfig(configShape, {
      DATABASE_URL: db.urlFor('console'),
      NATS_URL: messaging.natsUrl,
      HZN_STREAM_PREFIX: messaging.prefix,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      CONSOLE_PORT: String(port),
      CONSOLE_WEB_DIR: webDir,
      HORIZON_DATA_DIR: dataDir,
      ...env,
    });
    const app = (await startService(consoleService(config))) as NestFastifyApplication;
    return new ConsoleUnderTest(
      `http://127.0.0.1:${port}`,
      app,
      db,
      messaging,
      conn,
      publisher,
      orchestrator,
      webDir,
      dataDir,
    );
  }

  async stop(): Promise<void> {
    await this.app.close();
    for (const peer of this.peers) await peer.stop();
    await this.orchestrator.stop();
    await this.conn.close();
    await Promise.all([this.db.drop(), this.messaging.cleanup()]);
  }

  /**
   * Reads the console's tables as their owner would (to check what it stores); `as` the
   * orchestrator, writes what it would have recorded (runs and their friction).
   */
  async query<T>(
    sql: string,
    params: unknown[] = [],
    as: 'console' | 'orchestrator' = 'console',
  ): Promise<T[]> {
    const client = new pg.Client({ connectionString: this.db.urlFor(as), options: `-c search_path=${as}` });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  rpc(): RpcClient {
    return new RpcClient(this.conn, 'console-test');
  }

  /** What an event source does: puts a contract's message on the bus. */
  async publish<C extends Contract>(contract: C, data: DataOf<C>): Promise<void> {
    await this.publisher.publish(
      createEnvelope({
        type: contract.type,
        version: contract.version,
        subject: contract.subject,
        source: 'test',
        data,
      }),
    );
  }

  async link(person: string, role: ConsoleRole = 'admin', repo = '*'): Promise<string> {
    return (await this.rpc().call(consoleCreateSignInLink, { person, role, repo, ttlMinutes: 15 })).url;
  }

  /** Follows a sign-in link as a browser would and reads the session the app would. */
  async signIn(person: string, role: ConsoleRole = 'admin', repo = '*'): Promise<Browser> {
    const res = await fetch(await this.link(person, role, repo), { redirect: 'manual' });
    if (res.status !== 303) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const session = (await (await fetch(`${this.url}/api/session`, { headers: { cookie } })).json()) as {
      csrfToken: string;
      person: { id: string };
    };
    return { cookie, csrfToken: session.csrfToken, personId: session.person.id };
  }

  request(
    route: string,
    init: {
      method?: string;
      browser?: Browser;
      csrf?: string | null;
      body?: unknown;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Response> {
    const method = init.method ?? 'GET';
    const csrf = init.csrf === undefined ? init.browser?.csrfToken : init.csrf;
    return fetch(`${this.url}${route}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(init.browser ? { cookie: init.browser.cookie } : {}),
        ...(method !== 'GET' && csrf ? { 'x-csrf-token': csrf } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  }
}
