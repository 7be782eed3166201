import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Envelope } from '@horizon/contracts';
import { JetStreamConnection, Naming } from '@horizon/messaging';
import { freePort } from './nats-server';
import { createTestDatabase, createTestMessaging, suiteId } from './stack';
import { until } from './until';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * The local forge (apps/forge) started as `npm start` starts it, as its own process, with its
 * own database, stream prefix, data directory and port, so a suite can test against it without
 * importing the app.
 */
export interface ForgeUnderTest {
  url: string;
  port: number;
  token: string;
  dataDir: string;
  /**
   * The suite's database as its owner, for assertions: `pool` finds the forge's tables by their
   * plain names (search_path `forge`), other schemas' by qualified names.
   */
  db: { url: string; pool: pg.Pool };
  /**
   * The stack's environment (the database as its owner, NATS, stream prefix, data directory,
   * port); the forge itself connects as its role `hzn_forge`, as `npm start` runs it.
   */
  env: Record<string, string>;
  /** Every message on this suite's HZN_INGRESS, in order. */
  ingressMessages(): Promise<{ subject: string; envelope: Envelope }[]>;
  close(): Promise<void>;
}

export async function startForge(env: Record<string, string> = {}): Promise<ForgeUnderTest> {
  const id = suiteId();
  const [testDb, messaging, port] = await Promise.all([
    createTestDatabase(id),
    createTestMessaging(id),
    freePort(),
  ]);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-'));
  const token = `hzf_test_${id}_0123456789`;
  const fullEnv: Record<string, string> = {
    DATABASE_URL: testDb.url,
    NATS_URL: messaging.natsUrl,
    HZN_STREAM_PREFIX: messaging.prefix,
    LOG_LEVEL: 'warn',
    HORIZON_DATA_DIR: dataDir,
    FORGE_PORT: String(port),
    FORGE_TOKEN: token,
    ...env,
  };
  const child = spawn(
    process.execPath,
    ['--enable-source-maps', '-r', '@swc-node/register', path.join(ROOT, 'apps/forge/src/main.ts')],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...fullEnv, DATABASE_URL: testDb.urlFor('forge') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let ended = false;
  void exited.then(() => (ended = true));
  const url = `http://127.0.0.1:${port}`;
  await until(
    async () => {
      if (ended) throw new Error(`the forge exited before it was ready:\n${output}`);
      return (await fetch(`${url}/readyz`).catch(() => null))?.ok;
    },
    'the forge to be ready',
    60_000,
    100,
  ).catch((err: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${err.message}\n${output}`);
  });
  const pool = new pg.Pool({ connectionString: testDb.url, max: 2, options: '-c search_path=forge' });
  const reader = await JetStreamConnection.connect({
    natsUrl: messaging.natsUrl,
    prefix: messaging.prefix,
    name: `reader-${id}`,
  });
  const stream = new Naming(messaging.prefix).stream('INGRESS');
  return {
    url,
    port,
    token,
    dataDir,
    db: { url: testDb.url, pool },
    env: fullEnv,
    async ingressMessages() {
      const info = await reader.jsm.streams.info(stream).catch(() => undefined);
      if (!info || info.state.messages === 0) return [];
      const out: { subject: string; envelope: Envelope }[] = [];
      for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
        const m = await reader.jsm.streams.getMessage(stream, { seq });
        if (m) out.push({ subject: m.subject, envelope: m.json<Envelope>() });
      }
      return out;
    },
    async close() {
      child.kill('SIGTERM');
      await exited;
      await pool.end();
      await reader.close();
      await messaging.cleanup();
      await testDb.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
