import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { parseConfig } from '@horizon/config';
import type { Envelope } from '@horizon/contracts';
import { DATABASE } from '@horizon/db';
import type { Database } from '@horizon/db';
import { JetStreamConnection, Naming } from '@horizon/messaging';
import { startService } from '@horizon/runtime';
import { freePort, createTestDatabase, createTestMessaging, suiteId } from '@horizon/testing';
import { ForgeModule } from '../src/app.module';
import { configShape } from '../src/config';

/** One forge booted in-process with its own database, stream prefix and data directory. */
export interface ForgeUnderTest {
  url: string;
  port: number;
  token: string;
  dataDir: string;
  app: INestApplication;
  db: Database;
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
  const fullEnv = {
    DATABASE_URL: testDb.url,
    NATS_URL: messaging.natsUrl,
    HZN_STREAM_PREFIX: messaging.prefix,
    LOG_LEVEL: 'silent',
    HORIZON_DATA_DIR: dataDir,
    FORGE_PORT: String(port),
    FORGE_TOKEN: token,
    ...env,
  };
  const config = parseConfig(configShape, fullEnv);
  const app = await startService({ name: 'forge', module: ForgeModule.register(config), port });
  const reader = await JetStreamConnection.connect({
    natsUrl: messaging.natsUrl,
    prefix: messaging.prefix,
    name: `reader-${id}`,
  });
  const stream = new Naming(messaging.prefix).stream('INGRESS');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    token,
    dataDir,
    app,
    db: app.get<Database>(DATABASE),
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
      await app.close();
      await reader.close();
      await messaging.cleanup();
      await testDb.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * git with no user configuration and no prompt, in `cwd`. Asynchronous: the forge under test
 * runs in this process and must answer while git waits.
 */
export async function gitIn(cwd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await promisify(execFile)('git', args, { cwd, encoding: 'utf8', env: gitEnv(cwd, env) });
  return stdout.trim();
}

function gitEnv(cwd: string, env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: cwd,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'Dev',
    GIT_AUTHOR_EMAIL: 'dev@example.com',
    GIT_COMMITTER_NAME: 'Dev',
    GIT_COMMITTER_EMAIL: 'dev@example.com',
    ...env,
  };
}

function gitSync(cwd: string, args: string[]): void {
  execFileSync('git', args, { cwd, stdio: 'ignore', env: gitEnv(cwd, {}) });
}

/** A small git repository with one commit on `main`, in a new temp folder. */
export function sampleRepository(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-src-'));
  gitSync(dir, ['init', '-q', '-b', 'main']);
  fs.writeFileSync(path.join(dir, 'README.md'), '# sample\n');
  fs.writeFileSync(path.join(dir, 'add.ts'), 'export const add = (a: number, b: number) => a + b;\n');
  gitSync(dir, ['add', '.']);
  gitSync(dir, ['commit', '-q', '-m', 'initial']);
  return dir;
}

/** Polls `check` until it returns a value, or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
