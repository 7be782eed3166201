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
  output(): string;
}

export interface ServiceProcessOptions {
  db: TestDatabase;
  messaging: TestMessaging;
  /** `HORIZON_DATA_DIR` for the service. */
  dataDir: string;
  /** Settings of the service's own, on top of the stack's. */
  env?: Record<string, string>;
}

export async function startServiceProcess(
  service: ServiceWithSchema,
  options: ServiceProcessOptions,
): Promise<ServiceProcess> {
  if (!(service in SERVICE_SCHEMAS)) throw new Error(`unknown service ${service}`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    DATABASE_URL: options.db.urlFor(service),
    NATS_URL: options.messaging.natsUrl,
    HZN_STREAM_PREFIX: options.messaging.prefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    HORIZON_DATA_DIR: options.dataDir,
    [`${service.toUpperCase().replace(/-/g, '_')}_PORT`]: String(port),
    ...options.env,
  };
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let output = '';

  const start = async () => {
    const main = path.join(ROOT, 'apps', service, 'src', 'main.ts');
    const proc = spawn(process.execPath, ['--enable-source-maps', '-r', '@swc-node/register', main], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    proc.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    proc.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    let ended = false;
    exited = new Promise<void>((resolve) => proc.once('exit', () => ((ended = true), resolve())));
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
    async stop() {
      child?.kill('SIGTERM');
      await exited;
      child = undefined;
    },
  };
}
