import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface PrivateNats {
  url: string;
  port: number;
  /** Stops the server (SIGTERM) and waits for it to exit; its store is kept for `start()`. */
  stop(): Promise<void>;
  /** Starts it again on the same port and store. */
  start(): Promise<void>;
  /** Stops it and removes its store. */
  destroy(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/**
 * A NATS JetStream server of the suite's own, for tests that stop and restart the broker
 * (outage behaviour) without touching the shared one.
 */
export async function startPrivateNats(): Promise<PrivateNats> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hzn-nats-'));
  let child: ChildProcess | undefined;
  const start = async () => {
    // Already running: a second server would fail to bind, yet replace the handle that stop()
    // kills, leaving the first one running after the suite (suites call start() in afterAll to
    // be sure the broker is back before they close).
    if (child && child.exitCode === null && child.signalCode === null) return;
    child = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], {
      stdio: 'ignore',
    });
    const end = Date.now() + 10_000;
    while (!(await listening(port))) {
      if (Date.now() > end)
        throw new Error(`nats-server did not listen on ${port} (is nats-server installed?)`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    start,
    stop,
    destroy: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
