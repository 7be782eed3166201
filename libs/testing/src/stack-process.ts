import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from './nats-server';
import { createTestDatabase, createTestMessaging } from './stack';
import type { TestDatabase, TestMessaging } from './stack';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PORT_VARS = [
  'INGRESS_PORT',
  'ORCHESTRATOR_PORT',
  'SANDBOX_MANAGER_PORT',
  'IDENTITY_BROKER_PORT',
  'MCP_CONTEXT_PORT',
  'NOTIFIER_PORT',
  'FORGE_PORT',
  'CONSOLE_PORT',
  'MODEL_SERVER_PORT',
];

/**
 * A private place for a whole Horizon started as `npm start` starts it: its own database,
 * stream prefix, data directory and ports, so it runs beside other suites. The data directory
 * sits in /tmp under a short name: sandbox paths under it must stay short.
 */
export interface StackSandbox {
  db: TestDatabase;
  messaging: TestMessaging;
  dataDir: string;
  /** The environment `tools/start.mjs` runs with: every port, the database, NATS and prefix. */
  env: Record<string, string>;
  port(variable: string): number;
  remove(): Promise<void>;
}

export async function createStackSandbox(extraEnv: Record<string, string> = {}): Promise<StackSandbox> {
  const [db, messaging] = await Promise.all([createTestDatabase(), createTestMessaging()]);
  const dataDir = fs.mkdtempSync('/tmp/hzs-');
  fs.writeFileSync(
    path.join(dataDir, 'stack.json'),
    JSON.stringify({ databaseUrl: db.url, natsUrl: messaging.natsUrl }),
  );
  const ports = Object.fromEntries(
    await Promise.all(PORT_VARS.map(async (v) => [v, String(await freePort())] as const)),
  );
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...ports,
    HORIZON_DATA_DIR: dataDir,
    DATABASE_URL: db.url,
    NATS_URL: messaging.natsUrl,
    HZN_STREAM_PREFIX: messaging.prefix,
    LOG_LEVEL: 'info',
    // `npm start` runs the bundles, built first when stale. The test run built them already
    // (tools/test.mjs); outside it they may be stale, and suites in parallel must not each build
    // them: from source, then.
    ...(process.env.HORIZON_TEST_BUNDLES === '1' ? {} : { HORIZON_BUILT: '0' }),
    ...extraEnv,
  };
  return {
    db,
    messaging,
    dataDir,
    env,
    port: (variable) => Number(env[variable]),
    remove: async () => {
      // A sandbox stopped a moment ago may still be unmounting its workspace (EBUSY): retried.
      fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 });
      await Promise.all([db.drop(), messaging.cleanup()]);
    },
  };
}

export interface StackProcess {
  /** Everything printed so far. */
  output(): string;
  /** Resolves with the exit code once the process ends. */
  readonly exited: Promise<number | null>;
  /** Ctrl-C, as a person stops it; resolves with the exit code. */
  stop(): Promise<number | null>;
  /**
   * Waits until the output contains `line`; fails with the output and the services' logged
   * warnings and errors if the process ends or the time runs out first.
   */
  waitFor(line: string, timeoutMs: number): Promise<string>;
}

/** `node tools/start.mjs`, as `npm start` runs it after the bootstrap. */
export function startStack(sandbox: Pick<StackSandbox, 'env' | 'dataDir'>): StackProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'tools/start.mjs')], {
    cwd: ROOT,
    env: sandbox.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const sleep = (ms: number) => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms));
  return {
    output: () => output,
    exited,
    stop: () => {
      child.kill('SIGINT');
      return exited;
    },
    async waitFor(line, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes(line)) {
        const ended = await Promise.race([exited.then(() => true), sleep(250)]);
        if (ended || Date.now() > deadline)
          throw new Error(
            `npm start ${ended ? 'ended' : 'timed out'} before "${line}":\n${output}\n${serviceComplaints(sandbox.dataDir)}`,
          );
      }
      return output;
    },
  };
}

/** The services' logged warnings and errors (the last few of each), to say why a start failed. */
export function serviceComplaints(dataDir: string): string {
  const logs = path.join(dataDir, 'logs');
  if (!fs.existsSync(logs)) return '';
  return fs
    .readdirSync(logs)
    .flatMap((file) =>
      fs
        .readFileSync(path.join(logs, file), 'utf8')
        .split('\n')
        .filter((line) => /"level":"(warn|error|fatal)"/.test(line))
        .slice(-5)
        .map((line) => `${file}: ${line.slice(0, 1500)}`),
    )
    .join('\n');
}
