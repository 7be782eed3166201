import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createEnvelope } from '@horizon/contracts';
import { dataDirSecrets, scanDatabaseForSecrets, scanForSecrets, scanStreamsForSecrets } from './secret-scan';
import { connectTestMessaging, createTestDatabase, createTestMessaging } from './stack';

describe('secret scan of a data directory', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hzn-scan-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds a secret in any file but the one that holds it, however deep and in binary files', () => {
    const token = 'hzf_Z2l2ZS1tZS10aGUtdG9rZW4tcGxlYXNl';
    fs.writeFileSync(path.join(dir, 'forge.token'), `${token}\n`, { mode: 0o600 });
    fs.mkdirSync(path.join(dir, 'logs', 'runs'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'logs', 'forge.log'), '{"msg":"started"}\n');
    expect(scanForSecrets(dir, dataDirSecrets(dir))).toEqual([]);

    fs.writeFileSync(
      path.join(dir, 'logs', 'runs', 'transcript.bin'),
      Buffer.concat([Buffer.from([0, 255, 7]), Buffer.from(`Authorization: token ${token}`)]),
    );
    expect(scanForSecrets(dir, dataDirSecrets(dir))).toEqual([
      { file: path.join('logs', 'runs', 'transcript.bin'), secret: 'forge.token' },
    ]);
  });

  it('refuses a secret too short to prove anything', () => {
    expect(() => scanForSecrets(dir, [{ name: 'pin', value: '1234' }])).toThrow(/too short/);
  });
});

describe('secret scan of a database', () => {
  it('names the table whose rows hold a secret in plain text, and not one holding its hash', async () => {
    const db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const secret = { name: 'the API token', value: 'hzn_c2VjcmV0LXRva2VuLWluLWEtcm93' };
      await client.query(
        `INSERT INTO ingress."ApiToken" ("id", "name", "hash", "scopes")
         VALUES (gen_random_uuid(), 'ci', encode(sha256($1::bytea), 'hex'), '{work:read}')`,
        [secret.value],
      );
      expect(scanDatabaseForSecrets(db.url, [secret])).toEqual([]);
      await client.query('CREATE TABLE public.leak (note text)');
      await client.query('INSERT INTO public.leak VALUES ($1)', [`token=${secret.value}`]);
      expect(scanDatabaseForSecrets(db.url, [secret])).toEqual([
        { file: 'public.leak', secret: 'the API token' },
      ]);
    } finally {
      await client.end();
      await db.drop();
    }
  });
});

describe('secret scan of the streams', () => {
  it('names the stream message whose payload holds a secret', async () => {
    const messaging = await createTestMessaging();
    const { conn, publisher } = await connectTestMessaging(messaging, 'secret-scan-test');
    try {
      const secret = { name: 'forge.token', value: 'hzf_YS1mb3JnZS10b2tlbi1pbi1hbi1ldmVudA' };
      const event = (note: string) =>
        createEnvelope({
          type: 'workitem.created',
          version: 1,
          subject: 'hzn.evt.workitem.created',
          source: 'test',
          data: { note },
        });
      await publisher.publish(event('nothing to see'));
      expect(await scanStreamsForSecrets(conn, [secret])).toEqual([]);
      await publisher.publish(event(`clone with ${secret.value}`));
      expect(await scanStreamsForSecrets(conn, [secret])).toEqual([
        {
          file: `${conn.naming.stream('EVT')}#2 (${conn.naming.subject('hzn.evt.workitem.created')})`,
          secret: 'forge.token',
        },
      ]);
    } finally {
      await conn.close();
      await messaging.cleanup();
    }
  });
});
