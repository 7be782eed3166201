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

  /** `npm start`: the bootstrap, then the services and the demo until the demo ends. */
  async function npmStart(): Promise<{ database: string; output: string }> {
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
      const second = await npmStart();
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
