import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { SERVICE_SCHEMAS, type ServiceWithSchema } from '@horizon/db';
import { freePort } from './nats-server';
import type { TestDatabase, TestMessaging } from './stack';
import { until } from './until';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * A peer service a suite needs beside the one it tests (the orchestrator asks identity-broker
 * for owners, mcp-context asks the orchestrator for work items): started as `npm start` starts
 * it — its own process from its main.ts, connected as its own role — so no test imports
 * another app, and the two meet only over NATS, as in production.
 */
export interface ServiceProcess {
  readonly service: ServiceWithSchema;
  readonly port: number;
  readonly url: string;
  /** Stops the process (SIGTERM, as a deployment would); `start()` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** SIGKILL, as a node dying or the OOM killer would: no shutdown hook runs. Waits for the exit. */
  kill(): Promise<void>;
  /** SIGSTOP / SIGCONT: the process is frozen (its sockets stay open) and thawed. */
  pause(): void;
  resume(): void;
  /** Exits this suite did not ask for (a crash), each with its code or signal. */
  crashes(): string[];
  output(): string;
}

export interface ServiceProcessOptions {
  db: TestDatabase;
  messaging: TestMessaging;
  /** `HORIZON_DATA_DIR` for the service. */
  dataDir: string;
  /** Settings of the service's own, on top of the stack's. */
  env?: Record<string, string>;
  /**
   * Runs the bundle `npm run build` made (apps/<service>/dist/main.cjs) instead of main.ts.
   * Default: when the test run built the bundles (`npm test` sets HORIZON_TEST_BUNDLES).
   */
  built?: boolean;
  /** With `built`: the tree holding the bundle (an image's files); default the checkout. */
  root?: string;
}

export async function startServiceProcess(
  service: ServiceWithSchema,
  options: ServiceProcessOptions,
): Promise<ServiceProcess> {
  if (!(service in SERVICE_SCHEMAS)) throw new Error(`unknown service ${service}`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const built = options.built ?? process.env.HORIZON_TEST_BUNDLES === '1';
  const root = options.root ?? ROOT;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    DATABASE_URL: options.db.urlFor(service),
    NATS_URL: options.messaging.natsUrl,
    HZN_STREAM_PREFIX: options.messaging.prefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    HORIZON_DATA_DIR: options.dataDir,
    [`${service.toUpperCase().replace(/-/g, '_')}_PORT`]: String(port),
    // Built, sandbox-manager copies the prebuilt runner, as a deployment's does.
    ...(built && service === 'sandbox-manager'
      ? { SANDBOX_RUNNER_BUNDLE: path.join(root, 'apps', 'agent-runner', 'dist', 'agent-runner.cjs') }
      : {}),
    ...options.env,
  };
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let output = '';
  let expectingExit = false;
  const crashes: string[] = [];

  const start = async () => {
    const args = built
      ? [path.join(root, 'apps', service, 'dist', 'main.cjs')]
      : ['-r', '@swc-node/register', path.join(ROOT, 'apps', service, 'src', 'main.ts')];
    const proc = spawn(process.execPath, ['--enable-source-maps', ...args], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    proc.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    proc.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    let ended = false;
    expectingExit = false;
    exited = new Promise<void>((resolve) =>
      proc.once('exit', (code, signal) => {
        ended = true;
        if (!expectingExit) crashes.push(`${service} exited with ${signal ?? code}`);
        resolve();
      }),
    );
    await until(
      async () => {
        if (ended) throw new Error(`${service} exited before it was ready:\n${output}`);
        return (await fetch(`${url}/readyz`).catch(() => null))?.ok;
      },
      `${service} to be ready`,
      60_000,
      100,
    ).catch((err: Error) => {
      proc.kill('SIGKILL');
      throw new Error(`${err.message}\n${output.slice(-4000)}`);
    });
  };

  await start();
  return {
    service,
    port,
    url,
    start,
    output: () => output,
    crashes: () => [...crashes],
    async stop() {
      expectingExit = true;
      child?.kill('SIGCONT');
      child?.kill('SIGTERM');
      await exited;
      child = undefined;
    },
    async kill() {
      expectingExit = true;
      child?.kill('SIGKILL');
      await exited;
      child = undefined;
    },
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
  };
}
