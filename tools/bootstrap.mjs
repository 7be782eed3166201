#!/usr/bin/env node
// Finds or starts everything Horizon needs on this machine, then migrates the database.
// Both README commands run it first; it is safe to run again and fast when nothing changed.
//
//   1. node dependencies, installed when missing or stale (package-lock.json changed)
//   2. system packages the sandboxes and agents need (bubblewrap, git, ripgrep), and chromium
//   3. Postgres: $DATABASE_URL, else a database of this data directory's own (horizon_<installation>)
//      on $PGHOST:$PGPORT (127.0.0.1:5432), else on a private instance under .horizon/
//   4. NATS JetStream: $NATS_URL, else 127.0.0.1:4222, else a private instance under .horizon/
//   5. Prisma client generated, migrations applied to the test template, the database cloned
//      from it when new (else migrated), and stamped as this data directory's (lib/installation.mjs)
//   6. the console's browser app built (Vite), when its sources changed
//   7. the CLI bundled (esbuild, apps/cli/dist), when its sources changed
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  claimDatabase,
  installationDatabase,
  installationId,
  installationStreamPrefix,
} from './lib/installation.mjs';
import { DATA_DIR, ROOT, fail, readStack, step, writeStack } from './lib/stack.mjs';
import { aptInstall, freePort, hashFiles, isRoot, portOpen, run, waitFor, which } from './lib/system.mjs';

const started = Date.now();
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  fail(`Node.js ${process.versions.node} is too old`, 'install Node.js 20.19 or newer (22 LTS recommended)');
}
fs.mkdirSync(DATA_DIR, { recursive: true });

// 1. node dependencies
const lockFiles = [path.join(ROOT, 'package.json'), path.join(ROOT, 'package-lock.json')];
const installStamp = path.join(ROOT, 'node_modules', '.horizon-installed');
if (!fs.existsSync(installStamp) || fs.readFileSync(installStamp, 'utf8') !== hashFiles(lockFiles)) {
  step('installing node dependencies (npm install, from package-lock.json)…');
  // Not `npm ci`: npm 11 writes lockfiles without other platforms' optional binaries
  // (swc, nx, opencode) and `npm ci` then refuses them as out of sync.
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    todo: 'check that the npm registry is reachable, then run `npm install` to see the full error',
  });
  fs.writeFileSync(installStamp, hashFiles(lockFiles));
}
step('node dependencies: up to date');

// 2. system packages
const wanted = { bwrap: 'bubblewrap', git: 'git', rg: 'ripgrep', curl: 'curl' };
const missing = Object.entries(wanted)
  .filter(([bin]) => !which(bin))
  .map(([, pkg]) => pkg);
if (missing.length) aptInstall(missing, 'sandboxes and the agent harness');
step('system tools: bwrap, git, ripgrep, curl present');
// The console's end-to-end tests drive Debian's Chromium through playwright-core (a download of
// Playwright's own browser cannot reach the internet here).
if (!which('chromium')) aptInstall(['chromium'], "the console's browser tests");
step('browser: chromium present');
// The Kubernetes manifests (deploy/kubernetes) are rendered in tests by `kubectl kustomize`.
if (!which('kubectl')) aptInstall(['kubernetes-client'], 'rendering the Kubernetes manifests in tests');
step('kubectl present');

const { default: pg } = await import('pg');

async function pgAnswers(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const stack = readStack() ?? {};
const installation = installationId();

// 3. Postgres
async function findPostgres() {
  if (process.env.DATABASE_URL) {
    if (!(await pgAnswers(withDb(process.env.DATABASE_URL, 'postgres'))))
      fail(
        `Postgres at DATABASE_URL (${redact(process.env.DATABASE_URL)}) does not answer`,
        'start it, fix DATABASE_URL, or unset it to let the bootstrap start one',
      );
    return { url: process.env.DATABASE_URL, how: 'DATABASE_URL' };
  }
  // The database this data directory used before (stamped as its own), else one named after it.
  const database = stack.databaseUrl
    ? new URL(stack.databaseUrl).pathname.slice(1)
    : installationDatabase(installation);
  const host = process.env.PGHOST || '127.0.0.1';
  const port = Number(process.env.PGPORT || 5432);
  const local = `postgresql://${process.env.PGUSER || 'postgres'}@${host}:${port}/${database}`;
  if ((await portOpen(port, host)) && (await pgAnswers(withDb(local, 'postgres'))))
    return { url: local, how: `${host}:${port}` };
  return { url: withDb(await privatePostgres(), database), how: 'private instance' };
}

function pgBin(name) {
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base) ? fs.readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const p = path.join(base, v, 'bin', name);
    if (fs.existsSync(p)) return p;
  }
  return which(name);
}

async function privatePostgres() {
  if (!pgBin('initdb')) aptInstall(['postgresql'], 'no Postgres answers on 127.0.0.1:5432');
  const dir = path.join(DATA_DIR, 'postgres');
  const sockets = path.join(DATA_DIR, 'run');
  fs.mkdirSync(sockets, { recursive: true });
  const port =
    stack.postgresPort && !(await portOpen(stack.postgresPort))
      ? stack.postgresPort
      : (stack.postgresPort ?? (await freePort()));
  // initdb and postgres refuse to run as root: run them as the postgres system user then.
  const asUser = isRoot ? ['runuser', '-u', 'postgres', '--'] : [];
  if (isRoot)
    fs.chownSync(
      sockets,
      Number(execFileSync('id', ['-u', 'postgres']).toString()),
      Number(execFileSync('id', ['-g', 'postgres']).toString()),
    );
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    step(`initialising a private Postgres in ${dir}…`);
    fs.mkdirSync(dir, { recursive: true });
    if (isRoot) run('chown', ['-R', 'postgres:postgres', dir]);
    const [cmd, ...args] = [
      ...asUser,
      pgBin('initdb'),
      '-D',
      dir,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
    ];
    run(cmd, args, { quiet: true, todo: `inspect ${dir}` });
  }
  const url = `postgresql://postgres@127.0.0.1:${port}/horizon`;
  if (!(await pgAnswers(withDb(url, 'postgres')))) {
    step(`starting private Postgres on 127.0.0.1:${port}…`);
    const [cmd, ...args] = [
      ...asUser,
      pgBin('pg_ctl'),
      '-D',
      dir,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      '-o',
      `-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1`,
      'start',
    ];
    run(cmd, args, { quiet: true, todo: `read ${path.join(dir, 'server.log')}` });
    await waitFor(
      () => pgAnswers(withDb(url, 'postgres')),
      'private Postgres',
      30000,
      `read ${path.join(dir, 'server.log')}`,
    );
  }
  stack.postgresPort = port;
  return url;
}

function withDb(url, db) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

function redact(url) {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

// 4. NATS JetStream
async function jetstreamAnswers(url) {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  let nc;
  try {
    nc = await connect({ servers: url, timeout: 2000, reconnect: false });
    await (await jetstreamManager(nc, { timeout: 2000 })).getAccountInfo();
    return true;
  } catch {
    return false;
  } finally {
    await nc?.close().catch(() => {});
  }
}

async function findNats() {
  if (process.env.NATS_URL) {
    if (!(await jetstreamAnswers(process.env.NATS_URL)))
      fail(
        `NATS JetStream at NATS_URL (${process.env.NATS_URL}) does not answer`,
        'start nats-server with -js, fix NATS_URL, or unset it',
      );
    return { url: process.env.NATS_URL, how: 'NATS_URL' };
  }
  const local = 'nats://127.0.0.1:4222';
  if ((await portOpen(4222)) && (await jetstreamAnswers(local))) return { url: local, how: '127.0.0.1:4222' };
  return { url: await privateNats(), how: 'private instance' };
}

async function privateNats() {
  if (!which('nats-server')) aptInstall(['nats-server'], 'no NATS JetStream answers on 127.0.0.1:4222');
  const port = stack.natsPort ?? (await freePort());
  const url = `nats://127.0.0.1:${port}`;
  if (await jetstreamAnswers(url)) return url;
  const dir = path.join(DATA_DIR, 'nats');
  fs.mkdirSync(dir, { recursive: true });
  step(`starting private NATS JetStream on 127.0.0.1:${port}…`);
  const log = fs.openSync(path.join(dir, 'server.log'), 'a');
  const child = spawn(which('nats-server'), ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], {
    detached: true,
    stdio: ['ignore', log, log],
  });
  child.unref();
  fs.writeFileSync(path.join(dir, 'nats.pid'), String(child.pid));
  await waitFor(() => jetstreamAnswers(url), 'private NATS', 20000, `read ${path.join(dir, 'server.log')}`);
  stack.natsPort = port;
  return url;
}

const postgres = await findPostgres();
step(`postgres: ${redact(postgres.url)} (${postgres.how})`);
const nats = await findNats();
step(`nats jetstream: ${nats.url} (${nats.how})`);

// 5. Prisma client and migrations
const schemaHash = hashFiles([
  path.join(ROOT, 'prisma', 'schema.prisma'),
  path.join(ROOT, 'package-lock.json'),
]);
const generatedStamp = path.join(ROOT, 'libs', 'db', 'src', 'generated', '.schema-hash');
if (!fs.existsSync(generatedStamp) || fs.readFileSync(generatedStamp, 'utf8') !== schemaHash) {
  step('generating the Prisma client…');
  run('npx', ['prisma', 'generate'], {
    quiet: true,
    env: { ...process.env, DATABASE_URL: postgres.url },
    todo: 'run `npx prisma generate` to see the error',
  });
  fs.writeFileSync(generatedStamp, schemaHash);
}

const migrationsDir = path.join(ROOT, 'prisma', 'migrations');
const migrationFiles = fs
  .readdirSync(migrationsDir)
  .filter((d) => fs.existsSync(path.join(migrationsDir, d, 'migration.sql')))
  .sort()
  .map((d) => path.join(migrationsDir, d, 'migration.sql'));
const migrationsHash = hashFiles(migrationFiles);

function migrate(url, label) {
  step(`applying migrations to ${label}…`);
  run('npx', ['prisma', 'migrate', 'deploy'], {
    quiet: true,
    env: { ...process.env, DATABASE_URL: url },
    todo: `run \`DATABASE_URL=${redact(url)} npx prisma migrate deploy\` to see the error`,
  });
}

// Each database carries the hash of the migrations applied to it as its comment, so an
// unchanged database costs one query instead of a `prisma migrate deploy`.
const admin = new pg.Client({ connectionString: withDb(postgres.url, 'postgres') });
await admin.connect();
async function stampOf(name) {
  const { rows } = await admin.query(
    `SELECT shobj_description(oid, 'pg_database') AS stamp FROM pg_database WHERE datname = $1`,
    [name],
  );
  return rows[0]?.stamp;
}

const mainDb = new URL(postgres.url).pathname.slice(1) || 'horizon';
// Test suites clone this template (CREATE DATABASE … TEMPLATE) instead of migrating each time.
// Named after the main database, so two checkouts on one Postgres keep templates of their own
// migrations.
const TEMPLATE = `${mainDb}_template`;
if ((await stampOf(TEMPLATE)) !== migrationsHash) {
  await admin.query(`DROP DATABASE IF EXISTS "${TEMPLATE}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${TEMPLATE}"`);
  migrate(withDb(postgres.url, TEMPLATE), 'the test template');
  await admin.query(`COMMENT ON DATABASE "${TEMPLATE}" IS '${migrationsHash}'`);
}
const { rowCount: mainExists } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [mainDb]);
if (!mainExists) {
  // A new installation's database is a clone of the freshly migrated template: no second migration.
  step(`creating database ${mainDb}…`);
  await admin.query(`CREATE DATABASE "${mainDb}" TEMPLATE "${TEMPLATE}"`);
  await admin.query(`COMMENT ON DATABASE "${mainDb}" IS '${migrationsHash}'`);
}
await claimDatabase(pg, postgres.url, installation);
if ((await stampOf(mainDb)) !== migrationsHash) {
  migrate(postgres.url, `database ${mainDb}`);
  await admin.query(`COMMENT ON DATABASE "${mainDb}" IS '${migrationsHash}'`);
}
await admin.end();
step('database: migrated');

// 6. The console's browser app, built when its sources changed (dist/ is not committed).
const { buildConsoleIfStale } = await import('./lib/console-build.mjs');
try {
  const { built } = await buildConsoleIfStale({ log: (line) => process.stdout.write(`${line}\n`) });
  if (!built) step('console: built app is current');
} catch (err) {
  fail(err.message, 'fix the console build (npm run console:build shows the error)');
}

// 7. The CLI's bundle, so `horizon` starts without compiling TypeScript.
const { buildCliIfStale } = await import('./lib/cli-build.mjs');
try {
  const cli = await buildCliIfStale();
  step(cli.built ? `cli: bundled in ${(cli.ms / 1000).toFixed(1)}s` : 'cli: bundle is current');
} catch (err) {
  fail(`bundling the CLI failed: ${err.message}`, 'run `node tools/lib/cli-build.mjs` to see the error');
}

writeStack({
  ...stack,
  installation,
  databaseUrl: postgres.url,
  natsUrl: nats.url,
  streamPrefix: installationStreamPrefix(stack, installation),
  updatedAt: new Date().toISOString(),
});
step(
  `ready in ${((Date.now() - started) / 1000).toFixed(1)}s (stack written to ${path.relative(ROOT, DATA_DIR)}/stack.json)`,
);
