import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { parseConfig } from '@horizon/config';
import { Envelope } from '@horizon/contracts';
import { DATABASE, Database } from '@horizon/db';
import { JetStreamConnection, Naming } from '@horizon/messaging';
import { startService } from '@horizon/runtime';
import { freePort, createTestDatabase, createTestMessaging, suiteId } from '@horizon/testing';
import type { TestDatabase, TestMessaging } from '@horizon/testing';
import { IngressModule } from '../src/app.module';
import { configShape } from '../src/config';
import { WebhookRoutes } from '../src/http/webhook-routes';

export const SECRETS = {
  github: 'gh-current-secret',
  githubOld: 'gh-previous-secret',
  linear: 'lin_wh_test_secret',
  slack: 'slack-signing-secret',
};

export interface StoredMessage {
  seq: number;
  subject: string;
  envelope: Envelope;
}

/** One ingress booted in-process with its own database and stream prefix, on a free loopback port. */
export interface IngressUnderTest {
  url: string;
  app: INestApplication;
  db: Database;
  /** Every message on this suite's HZN_INGRESS, in order. */
  messages(): Promise<StoredMessage[]>;
  /** Waits until every InboxDelivery record has been written. */
  flushRecords(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `nats` points ingress at another NATS (outage tests); `beside` runs it on another suite's
 * database and stream prefix (an orchestrator's, to answer the work API's reads), which that
 * suite removes.
 */
export async function startIngress(
  env: Record<string, string> = {},
  nats?: { url: string },
  beside?: { db: TestDatabase; messaging: TestMessaging },
): Promise<IngressUnderTest> {
  const id = suiteId();
  const [db, messaging, port] = await Promise.all([
    beside?.db ?? createTestDatabase(id),
    beside?.messaging ?? createTestMessaging(id),
    freePort(),
  ]);
  const natsUrl = nats?.url ?? messaging.natsUrl;
  const config = parseConfig(configShape, {
    DATABASE_URL: db.url,
    NATS_URL: natsUrl,
    HZN_STREAM_PREFIX: messaging.prefix,
    LOG_LEVEL: 'silent',
    INGRESS_PORT: String(port),
    GITHUB_WEBHOOK_SECRET: `${SECRETS.github},${SECRETS.githubOld}`,
    LINEAR_WEBHOOK_SECRET: SECRETS.linear,
    SLACK_SIGNING_SECRET: SECRETS.slack,
    // Webhook triggers' secrets are sealed with it; without one the keyring would write a dev key file.
    HORIZON_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    ...env,
  });
  const app = await startService({ name: 'ingress', module: IngressModule.register(config), port });
  const reader = await JetStreamConnection.connect({
    natsUrl,
    prefix: messaging.prefix,
    name: `reader-${id}`,
  });
  const stream = new Naming(messaging.prefix).stream('INGRESS');
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    db: app.get<Database>(DATABASE),
    async messages() {
      // The reader reconnects on its own schedule after a NATS restart: give it a few seconds.
      let info = await reader.jsm.streams.info(stream).catch(() => undefined);
      for (let tries = 0; !info && tries < 50; tries++) {
        await new Promise((r) => setTimeout(r, 200));
        info = await reader.jsm.streams.info(stream).catch(() => undefined);
      }
      if (!info) throw new Error(`stream ${stream} did not answer`);
      const out: StoredMessage[] = [];
      for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
        const m = await reader.jsm.streams.getMessage(stream, { seq });
        if (m) out.push({ seq, subject: m.subject, envelope: m.json<Envelope>() });
      }
      return out;
    },
    flushRecords: () => app.get(WebhookRoutes).drainDeliveryLog(),
    async close() {
      await app.close();
      await reader.close();
      if (beside) return;
      if (!nats) await messaging.cleanup();
      await db.drop();
    },
  };
}

export async function post(url: string, body: Buffer | string, headers: Record<string, string>) {
  const res = await fetch(url, { method: 'POST', body, headers });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, body: json as Record<string, unknown> };
}
