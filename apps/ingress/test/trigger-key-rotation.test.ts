import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDatabase, Database } from '@horizon/db';
import { Keyring } from '@horizon/keyring';
import { createLogger } from '@horizon/observability';
import { createTestDatabase, TestDatabase } from '@horizon/testing';
import { WebhookTriggers } from '../src/application/webhook-triggers';
import { horizonSignature } from '../src/domain/trigger-signature';
import { WebhookTriggerRepository } from '../src/persistence/webhook-trigger.repository';

const ROOT = path.resolve(__dirname, '../../..');
const keyA = randomBytes(32);
const keyB = randomBytes(32);
const triggersUnder = (db: Database, entries: [string, Buffer][], current: string) =>
  new WebhookTriggers(
    new WebhookTriggerRepository(db.prisma),
    new Keyring(new Map(entries), current),
    300,
    createLogger('ingress-test', 'silent'),
  );

describe('rotating the encryption key re-seals webhook trigger secrets (real Postgres, the real tool)', () => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = createDatabase(testDb.url, 2, 'ingress');
  });
  afterAll(async () => {
    await db.close();
    await testDb.drop();
  });

  it('moves a trigger sealed under the old key to the new one; it then verifies with the new key alone', async () => {
    const { secret } = await triggersUnder(db, [['a', keyA]], 'a').create(
      {
        name: 'rotated',
        format: 'horizon',
        repo: 'acme/x',
        kind: 'implement',
        labels: [],
        titleTemplate: 'T',
        promptTemplate: '{{a}}',
      },
      'test',
    );
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', '@swc-node/register', 'tools/rotate-encryption-key.ts'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: testDb.url,
          HORIZON_ENCRYPTION_KEYS: `a:${keyA.toString('base64')},b:${keyB.toString('base64')}`,
          HORIZON_ENCRYPTION_KEY_ID: 'b',
        },
      },
    );
    expect(stdout.trim()).toBe('rotate-encryption-key: key=b rotated=1 remaining=0');
    const row = await db.prisma.webhookTrigger.findUniqueOrThrow({ where: { name: 'rotated' } });
    expect(row.secretKeyId).toBe('b');

    const source = await triggersUnder(db, [['b', keyB]], 'b').source('rotated');
    const body = Buffer.from('{"a":1}');
    const headers = { 'x-horizon-signature': horizonSignature(secret, body, Math.floor(Date.now() / 1000)) };
    expect(await source.verifier!.verify(body, headers)).toEqual({ ok: true });
  });
});
