import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDatabase, Database } from '@horizon/db';
import { createTestDatabase, TestDatabase } from '@horizon/testing';
import { CredentialStore } from '../src/persistence/credential-store';
import { Keyring } from '@horizon/keyring';

const ROOT = path.resolve(__dirname, '../../..');
const keyA = randomBytes(32);
const keyB = randomBytes(32);
const ring = (entries: [string, Buffer][], current: string) => new Keyring(new Map(entries), current);

describe('encryption key rotation (real Postgres, the real tool)', () => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = createDatabase(testDb.url, 2, 'identity');
  });
  afterAll(async () => {
    await db.close();
    await testDb.drop();
  });

  it('keeps old rows readable until rotated, then re-seals them all under the new key', async () => {
    const underA = new CredentialStore(db.prisma, ring([['a', keyA]], 'a'));
    const identity = randomUUID();
    await db.prisma.identity.create({ data: { id: identity, displayName: 'Rot' } });
    const keys = [
      { identityId: identity, provider: 'github' as const, kind: 'oauth' },
      { identityId: null, provider: 'github' as const, kind: `run_token:${randomUUID()}` },
    ];
    for (const [i, key] of keys.entries()) await underA.put(key, { accessToken: `secret-${i}` }, null);

    // Mid-rotation ring: new rows go under b, rows under a still open.
    const both = new CredentialStore(
      db.prisma,
      ring(
        [
          ['a', keyA],
          ['b', keyB],
        ],
        'b',
      ),
    );
    expect((await both.get<{ accessToken: string }>(keys[0]!))!.secret.accessToken).toBe('secret-0');
    const fresh = { identityId: identity, provider: 'linear' as const, kind: 'oauth' };
    await both.put(fresh, { accessToken: 'secret-new' }, null);
    expect((await both.get(fresh))!.keyId).toBe('b');

    const before = await db.pool.query<{ id: string; ciphertext: Buffer }>(
      `SELECT id, ciphertext FROM "Credential" WHERE "keyId" = 'a'`,
    );
    expect(before.rows).toHaveLength(2);
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
    expect(stdout.trim()).toBe('rotate-encryption-key: key=b rotated=2 remaining=0');

    const after = await db.pool.query<{ id: string; keyId: string; ciphertext: Buffer }>(
      `SELECT id, "keyId", ciphertext FROM "Credential"`,
    );
    expect(after.rows.every((r) => r.keyId === 'b')).toBe(true);
    for (const old of before.rows)
      expect(after.rows.find((r) => r.id === old.id)!.ciphertext.equals(old.ciphertext)).toBe(false);

    const onlyB = new CredentialStore(db.prisma, ring([['b', keyB]], 'b'));
    for (const [i, key] of keys.entries())
      expect((await onlyB.get<{ accessToken: string }>(key))!.secret.accessToken).toBe(`secret-${i}`);
    const onlyA = new CredentialStore(db.prisma, ring([['a', keyA]], 'a'));
    await expect(onlyA.get(keys[0]!)).rejects.toThrow(/no key with id b/);
  });
});
