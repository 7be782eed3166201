import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createStackSandbox, startStack, type StackSandbox } from '@horizon/testing';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * `rm -rf .horizon && npm start`, the usual way to start over: the bootstrap gives each data
 * directory a database of its own, so the demo runs again from scratch; pointed at a database
 * another data directory owns, the start refuses and says what to do.
 */
describe('starting over: a data directory and its database belong together', () => {
  let stack: StackSandbox;
  let env: Record<string, string>;
  const databases: string[] = [];

  beforeAll(async () => {
    stack = await createStackSandbox();
    const server = new URL(stack.db.url);
    // As a new user runs it: no DATABASE_URL, a Postgres on PGHOST:PGPORT (the suite's).
    const { DATABASE_URL: _given, ...rest } = stack.env;
    env = {
      ...rest,
      PGHOST: server.hostname,
      PGPORT: server.port || '5432',
      PGUSER: server.username,
      HORIZON_EXIT_AFTER_DEMO: '1',
    };
  });

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: new URL('/postgres', stack.db.url).toString() });
    await admin.connect();
    for (const db of databases) {
      await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
      await admin.query(`DROP DATABASE IF EXISTS "${db}_template" WITH (FORCE)`);
    }
    await admin.end();
    await stack?.remove();
  });

  /** The pid of one service `npm start` runs for this suite's data directory (read from /proc). */
  function servicePid(service: string): number | undefined {
    for (const entry of fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
      try {
        const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
        const environ = fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
        if (
          cmdline.includes(`apps/${service}/src/main.ts`) &&
          environ.includes(`HORIZON_DATA_DIR=${stack.dataDir}`)
        )
          return Number(entry);
      } catch {
        // A process that ended while being read.
      }
    }
    return undefined;
  }

  /**
   * `npm start`: the bootstrap, then the services and the demo until the demo ends; `whileRunning`
   * acts on the stack once the demo has made its repository, and the demo must still end well.
   */
  async function npmStart(
    whileRunning?: (running: ReturnType<typeof startStack>) => Promise<void>,
  ): Promise<{ database: string; output: string }> {
    // The sandbox's stack.json names its test database: a new user has none.
    fs.rmSync(path.join(stack.dataDir, 'stack.json'), { force: true });
    const boot = spawnSync(process.execPath, [path.join(ROOT, 'tools/bootstrap.mjs')], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    expect({ code: boot.status, stderr: boot.stderr }).toEqual({ code: 0, stderr: '' });
    const database = /postgres: postgresql:\/\/\S+\/(horizon_[a-z0-9]+) /.exec(boot.stdout)![1]!;
    databases.push(database);
    const running = startStack({ env, dataDir: stack.dataDir });
    if (whileRunning) {
      await running.waitFor('[demo] created the sample repository demo/cart', 4 * 60_000);
      await whileRunning(running);
    }
    const output = await running.waitFor('every item merged', 8 * 60_000);
    expect(await running.exited).toBe(0);
    return { database, output };
  }

  it(
    'runs the demo on a fresh data directory, again after rm -rf of it, and refuses a database another one owns',
    async () => {
      const first = await npmStart();
      expect(first.output).toContain('[demo] created the sample repository demo/cart on the local forge');

      fs.rmSync(stack.dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 });
      // The second start runs the demo again from scratch; during it the notifier (which opens the
      // demo's pull requests) is killed: it is started again, the rest keep running, and the demo
      // still ends with every item merged.
      const second = await npmStart(async (running) => {
        const pid = servicePid('notifier');
        expect(pid).toBeDefined();
        process.kill(pid!, 'SIGKILL');
        await running.waitFor('restarting notifier in 0.5s (the others keep running)', 30_000);
        const readyz = `http://127.0.0.1:${stack.port('NOTIFIER_PORT')}/readyz`;
        const deadline = Date.now() + 60_000;
        let status = 0;
        while (status !== 200 && Date.now() < deadline) {
          status = (await fetch(readyz).catch(() => null))?.status ?? 0;
          if (status !== 200) await new Promise((r) => setTimeout(r, 250));
        }
        expect(status).toBe(200);
        expect(servicePid('notifier')).not.toBe(pid);
      });
      expect(second.database).not.toBe(first.database);
      expect(second.output).toContain('[demo] created the sample repository demo/cart on the local forge');

      // The first database, named by hand, belongs to a data directory that is gone.
      const stale = spawnSync(process.execPath, [path.join(ROOT, 'tools/start.mjs')], {
        cwd: ROOT,
        env: { ...env, DATABASE_URL: new URL(`/${first.database}`, stack.db.url).toString() },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(stale.status).toBe(1);
      expect(stale.stderr).toContain(
        `FAILED: database ${first.database} holds the state of another data directory`,
      );
      expect(stale.stderr).toMatch(
        /what to do: that data directory was removed or started over.*DROP DATABASE/,
      );
    },
    18 * 60_000,
  );
});
