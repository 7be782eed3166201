import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
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
  const prefixes: string[] = [];

  beforeAll(async () => {
    // The services from the test run's bundles: npm-start.test.ts starts them from their
    // TypeScript, as a new user's first start does; what matters here is the data directory.
    stack = await createStackSandbox();
    const server = new URL(stack.db.url);
    // As a new user runs it: no DATABASE_URL, a Postgres on PGHOST:PGPORT (the suite's), and no
    // stream prefix (each data directory gets its own on the suite's NATS).
    const { DATABASE_URL: _given, HZN_STREAM_PREFIX: _prefix, ...rest } = stack.env;
    env = {
      ...rest,
      PGHOST: server.hostname,
      PGPORT: server.port || '5432',
      PGUSER: server.username,
      HORIZON_EXIT_AFTER_DEMO: '1',
      // About starting over, not browser checks (npm-start's tour and browser-verification cover those).
      BROWSER_CHECKS: 'off',
    };
  });

  afterAll(async () => {
    if (prefixes.length > 0) {
      const nc = await connect({ servers: stack.env.NATS_URL });
      const jsm = await jetstreamManager(nc);
      for await (const name of jsm.streams.names())
        if (prefixes.some((p) => name.startsWith(`${p}_`))) await jsm.streams.delete(name);
      await nc.close();
    }
    if (!stack) return;
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
          (cmdline.includes(`apps/${service}/src/main.ts`) ||
            cmdline.includes(`apps/${service}/dist/main.cjs`)) &&
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
   * `npm start`: the bootstrap, then the services and the demo. `whileRunning` acts on the stack
   * once the demo has made its repository; the stack is stopped (Ctrl-C) once the demo printed
   * `stopAt`, and must exit cleanly. Running the demo to its end is npm-start.test.ts's part.
   */
  async function npmStart(
    stopAt: string,
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
    // The data directory's streams are named for it, as its database is.
    const recorded = JSON.parse(fs.readFileSync(path.join(stack.dataDir, 'stack.json'), 'utf8')) as {
      streamPrefix: string;
    };
    expect(recorded.streamPrefix).toBe(database);
    prefixes.push(recorded.streamPrefix);
    const running = startStack({ env, dataDir: stack.dataDir });
    let output = await running.waitFor('[demo] created the sample repository demo/cart', 4 * 60_000);
    await whileRunning?.(running);
    output = await running.waitFor(stopAt, 6 * 60_000);
    expect(await running.stop()).toBe(0);
    const nc = await connect({ servers: stack.env.NATS_URL });
    try {
      const info = await (await jetstreamManager(nc)).streams.info(`${database}_HZN_EVT`);
      expect(info.state.messages).toBeGreaterThan(0);
    } finally {
      await nc.close();
    }
    return { database, output };
  }

  /**
   * The demo's work is owned by the person who ran it, as a team would see it: its first pull
   * request is authored by their local forge account, and its commit names them as co-author.
   */
  async function expectWorkOfThePersonWhoRanIt(run: { database: string; output: string }): Promise<void> {
    const said = /\[demo\] the work is .+'s: pull requests by (\S+) on the local forge/.exec(run.output);
    expect(said).not.toBeNull();
    const login = said![1]!;
    const db = new pg.Client({ connectionString: new URL(`/${run.database}`, stack.db.url).toString() });
    await db.connect();
    let head: string;
    try {
      const { rows } = await db.query<{ number: number; author: string; headSha: string }>(
        'SELECT number, author, "headSha" FROM forge."ForgePullRequest" ORDER BY number',
      );
      expect(rows.map((r) => [r.number, r.author])).toEqual([[1, login]]);
      head = rows[0]!.headSha;
    } finally {
      await db.end();
    }
    const trailers = spawnSync(
      'git',
      ['log', '-1', '--format=%(trailers:key=Co-authored-by,valueonly)', head],
      {
        cwd: path.join(stack.dataDir, 'forge', 'demo', 'cart.git'),
        encoding: 'utf8',
      },
    ).stdout;
    expect(trailers).toContain(`<${login}@users.noreply.horizon.local>`);
  }

  it(
    'starts the demo on a fresh data directory, starts it again from scratch after rm -rf of it, and refuses a database another one owns',
    async () => {
      // The first start is stopped once its demo has begun: the data directory and its database
      // hold a demo's state, which a start on the same directory would not run again.
      const first = await npmStart('provisioning → running');
      expect(first.output).toContain('[demo] created the sample repository demo/cart on the local forge');

      fs.rmSync(stack.dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 });
      // The second start runs the demo again from scratch; during it the notifier (which opens the
      // demo's pull requests) is killed: it is started again, the rest keep running, and the demo
      // goes on to its first pull request, which the demo's reviewer reads.
      const second = await npmStart('asks for a change on demo/cart#1', async (running) => {
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
      expect(prefixes).toEqual([first.database, second.database]);
      expect(second.output).toContain('[demo] created the sample repository demo/cart on the local forge');
      await expectWorkOfThePersonWhoRanIt(second);

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
    12 * 60_000,
  );
});
