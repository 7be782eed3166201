import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { parseConfig } from '@horizon/config';
import { envelopeFor, forgeOpenPullRequest } from '@horizon/contracts';
import {
  IdentityBrokerModule,
  identityBrokerConfigShape as brokerConfigShape,
} from '@horizon/identity-broker';
import { HEADER, JetStreamConnection, Publisher } from '@horizon/messaging';
import { startService } from '@horizon/runtime';
import {
  GitHubStandIn,
  startGitHubStandIn,
  freePort,
  createTestDatabase,
  createTestMessaging,
  TestDatabase,
  TestMessaging,
  deadLetterOf,
} from '@horizon/testing';
import { NotifierModule, notifierConfigShape as configShape } from '@horizon/notifier';

/** A deployment whose identity-broker has no GitHub App: nothing can open a PR, and it says why. */
describe('notifier without a GitHub App on identity-broker', () => {
  let gh: GitHubStandIn;
  let db: TestDatabase;
  let messaging: TestMessaging;
  let apps: INestApplication[];
  let conn: JetStreamConnection;
  let dataDir: string;

  beforeAll(async () => {
    [gh, db, messaging] = await Promise.all([
      startGitHubStandIn(),
      createTestDatabase(),
      createTestMessaging(),
    ]);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'notifier-noapp-'));
    const base = {
      DATABASE_URL: db.url,
      NATS_URL: messaging.natsUrl,
      HZN_STREAM_PREFIX: messaging.prefix,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      HORIZON_DATA_DIR: dataDir,
    };
    const [brokerPort, notifierPort] = await Promise.all([freePort(), freePort()]);
    apps = [
      await startService({
        name: 'identity-broker',
        module: IdentityBrokerModule.register(
          parseConfig(brokerConfigShape, {
            ...base,
            IDENTITY_BROKER_PORT: String(brokerPort),
            GITHUB_API_URL: gh.url,
          }),
        ),
        port: brokerPort,
      }),
      await startService({
        name: 'notifier',
        module: NotifierModule.register(
          parseConfig(configShape, { ...base, NOTIFIER_PORT: String(notifierPort), GITHUB_API_URL: gh.url }),
        ),
        port: notifierPort,
      }),
    ];
    conn = await JetStreamConnection.connect({
      natsUrl: messaging.natsUrl,
      prefix: messaging.prefix,
      name: 'noapp-test',
    });
  });

  afterAll(async () => {
    for (const app of (apps ?? []).reverse()) await app.close();
    await conn?.close();
    await Promise.all([gh.close(), db.drop(), messaging.cleanup()]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("dead-letters the command with identity-broker's not_configured reason and calls GitHub not at all", async () => {
    const env = envelopeFor(
      forgeOpenPullRequest,
      {
        workItemId: randomUUID(),
        runId: randomUUID(),
        repo: 'acme/widgets',
        forge: 'github',
        head: 'horizon/abc-tidy',
        base: 'main',
        commitSha: 'c'.repeat(40),
        title: 'Tidy',
        body: 'Tidies.',
        verification: [],
        ownerId: null,
      },
      { source: 'orchestrator' },
    );
    await new Publisher(conn).publish(env);
    const dead = await deadLetterOf(conn, env.id);
    expect(dead.header.get(HEADER.dlqReason)).toMatch(
      /^identity-broker not_configured: .*no GitHub App configured/,
    );
    expect(gh.model.requests).toHaveLength(0);
  });
});
