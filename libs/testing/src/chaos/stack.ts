import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { ServiceWithSchema } from '@horizon/db';
import { startPrivateNats, type PrivateNats } from '../nats-server';
import { startPrivatePostgres, type PrivatePostgres } from '../postgres-server';
import { migratedPrivateDatabase } from '../private-database';
import { startServiceProcess, type ServiceProcess } from '../service-process';
import { suiteId, type TestDatabase, type TestMessaging } from '../stack';
import { CHAOS_LINEAR_APP_USER_ID, ChaosClient } from './client';

export interface FaultStackOptions {
  /** Started as processes in this order (peers first), each from its main.ts as its own role. */
  services: readonly ServiceWithSchema[];
  /** Settings per service on top of the stack's. */
  env?: Partial<Record<ServiceWithSchema, Record<string, string>>>;
  /** How long the client retries one request before giving up. */
  retryForMs: number;
}

/** A Postgres, a NATS and the services, all the suite's own, for faults the shared ones must never see. */
export interface FaultStack {
  postgres: PrivatePostgres;
  nats: PrivateNats;
  db: TestDatabase;
  messaging: TestMessaging;
  /** The superuser on the stack's database: the test's view across schemas. */
  admin: pg.Pool;
  services: Map<ServiceWithSchema, ServiceProcess>;
  client: ChaosClient;
  close(): Promise<void>;
}

const SECRETS = { github: `gh-${randomUUID()}`, linear: `lin-${randomUUID()}` };

/** An API token as ingress stores it (only the SHA-256 of the token), with both work scopes. */
async function apiToken(admin: pg.Pool): Promise<string> {
  const token = `hzn_${randomBytes(32).toString('base64url')}`;
  await admin.query(
    `INSERT INTO ingress."ApiToken" ("id", "name", "hash", "scopes") VALUES ($1, 'chaos', $2, $3)`,
    [randomUUID(), createHash('sha256').update(token).digest('hex'), ['work:write', 'work:read']],
  );
  return token;
}

export async function startFaultStack(options: FaultStackOptions): Promise<FaultStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hzn-chaos-'));
  const services = new Map<ServiceWithSchema, ServiceProcess>();
  let postgres: PrivatePostgres | undefined;
  let nats: PrivateNats | undefined;
  let admin: pg.Pool | undefined;
  const close = async () => {
    for (const proc of services.values()) proc.resume();
    await Promise.allSettled([...services.values()].map((p) => p.stop()));
    await admin?.end().catch(() => undefined);
    await nats?.destroy().catch(() => undefined);
    postgres?.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    [postgres, nats] = await Promise.all([startPrivatePostgres(), startPrivateNats()]);
    const db = await migratedPrivateDatabase(postgres);
    admin = new pg.Pool({ connectionString: db.url, max: 4 });
    // Its idle connections die with every Postgres restart the suite causes.
    admin.on('error', () => undefined);
    const messaging: TestMessaging = {
      natsUrl: nats.url,
      prefix: suiteId().toUpperCase(),
      cleanup: async () => undefined,
    };
    const common: Record<string, string> = {
      GITHUB_WEBHOOK_SECRET: SECRETS.github,
      LINEAR_WEBHOOK_SECRET: SECRETS.linear,
      LINEAR_APP_USER_ID: CHAOS_LINEAR_APP_USER_ID,
      DEFAULT_REPO: 'acme/billing',
      INGRESS_RETRY_AFTER_SECONDS: '1',
    };
    // In parallel: they meet only over NATS, so none waits for another to start.
    const started = await Promise.allSettled(
      options.services.map((service) =>
        startServiceProcess(service, {
          db,
          messaging,
          dataDir,
          env: { ...common, ...options.env?.[service] },
        }),
      ),
    );
    // In the order asked for, whichever was ready first: the faults follow this order.
    for (const s of started) if (s.status === 'fulfilled') services.set(s.value.service, s.value);
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    const ingress = services.get('ingress');
    if (!ingress) throw new Error('a fault stack needs ingress: every request enters through it');
    const client = new ChaosClient({
      ingressUrl: ingress.url,
      githubSecret: SECRETS.github,
      linearSecret: SECRETS.linear,
      apiToken: await apiToken(admin),
      retryForMs: options.retryForMs,
    });
    return { postgres, nats, db, messaging, admin, services, client, close };
  } catch (err) {
    await close();
    throw err;
  }
}
