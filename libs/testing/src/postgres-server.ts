import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './nats-server';

export interface PrivatePostgres {
  /** The `postgres` database on it, as the superuser (trust). */
  url: string;
  port: number;
  /**
   * `pg_ctl restart -m immediate`: every backend dies at once, as in a crash or failover. Like
   * the others, it runs pg_ctl without blocking: the caller's connections see the restart as it happens.
   */
  restartImmediately(): Promise<void>;
  /** `pg_ctl stop -m immediate`: down as after a crash, until `start()`. */
  crash(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its data directory. */
  destroy(): void;
}

/** Debian's Postgres binaries (newest version installed), or the PATH's. */
function pgBin(name: string): string {
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base) ? fs.readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const candidate = path.join(base, version, 'bin', name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return name;
}

/**
 * A Postgres server of the suite's own, for tests that crash or restart the database (never the
 * machine's shared one). initdb and postgres refuse to run as root: as root they run as the
 * `postgres` system user, which Debian's package creates.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hzn-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const command = (bin: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', pgBin(bin), ...args]] : [pgBin(bin), args];
  const run = (bin: string, args: string[]) => execFileSync(...command(bin, args), { stdio: 'pipe' });
  const runAsync = async (bin: string, args: string[]) =>
    void (await promisify(execFile)(...command(bin, args)));
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  const ctlArgs = (...args: string[]) => [
    '-D',
    data,
    '-l',
    path.join(dir, 'server.log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    ...args,
  ];
  run('pg_ctl', ctlArgs('start'));
  const ctl = (...args: string[]) => runAsync('pg_ctl', ctlArgs(...args));
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    restartImmediately: () => ctl('-m', 'immediate', 'restart'),
    crash: () => ctl('-m', 'immediate', 'stop'),
    stop: () => ctl('-m', 'fast', 'stop'),
    start: () => ctl('start'),
    destroy: () => {
      try {
        run('pg_ctl', ctlArgs('-m', 'immediate', 'stop'));
      } catch {
        // Already stopped.
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
