#!/usr/bin/env node
// `npm start`: every service up against the stack the bootstrap found, one line each once
// ready; logs under .horizon/logs/. With no model provider configured the scripted model
// server stands in for one. Once everything is ready, a fresh data directory runs the demo
// (`horizon demo --if-new`; HORIZON_DEMO=0 skips it, HORIZON_DEMO_REVIEW=console leaves its
// reviews to you in the console). A service that exits is started again (tools/lib/supervisor.mjs).
// Ctrl-C stops them all cleanly. The services run from their bundles (`npm run build`), built
// first when a source is newer than them: each is ready in about a second instead of three, and
// nine swc compilers at once are what made a first start slow on two cores. `--from-source` (or
// HORIZON_BUILT=0) runs them from their TypeScript through swc instead.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { buildAll } from './build.mjs';
import { bundlesStale } from './lib/bundles-stale.mjs';
import { claimDatabase, installationId } from './lib/installation.mjs';
import { localDefaults } from './lib/local-defaults.mjs';
import {
  MODEL_SERVER,
  SERVICES,
  builtLaunch,
  bundleOf,
  launchArgs,
  portOf,
  serviceEnv,
} from './lib/services.mjs';
import { DATA_DIR, ROOT, fail, readStack, stackEnv, step } from './lib/stack.mjs';
import { supervise } from './lib/supervisor.mjs';

// The CLI's bin: its bundle, built by the bootstrap.
const CLI = path.join(ROOT, 'apps', 'cli', 'bin', 'horizon.js');
// The stream prefix the bootstrap recorded for this data directory (lib/installation.mjs).
const { env, scripted } = localDefaults({
  ...stackEnv(),
  HZN_STREAM_PREFIX: process.env.HZN_STREAM_PREFIX ?? readStack()?.streamPrefix ?? '',
});
// The database must be this data directory's: a mismatch stops here, saying what to do.
await claimDatabase(pg, env.DATABASE_URL, installationId());
const processes = scripted ? [MODEL_SERVER, ...SERVICES] : SERVICES;
const built = !process.argv.includes('--from-source') && process.env.HORIZON_BUILT !== '0';
if (built && bundlesStale()) {
  step('building the services (their bundles are missing or older than their sources)…');
  await buildAll().catch((err) =>
    fail(`building the services: ${err.message}`, 'fix what it names, or run `npm start -- --from-source`'),
  );
}
const unbuilt = built ? SERVICES.filter((s) => !fs.existsSync(bundleOf(s.name))) : [];
if (unbuilt.length)
  fail(
    `no bundle for ${unbuilt.map((s) => s.name).join(', ')}`,
    'run `npm run build`, and read what it prints',
  );
const launch = (service) => (built ? builtLaunch(service, env) : { args: launchArgs(service, env), env });
const logDir = path.join(DATA_DIR, 'logs');
fs.mkdirSync(logDir, { recursive: true });
const children = new Map();
const supervisors = [];
let stopping = false;

const lastLogLines = (service) =>
  fs
    .readFileSync(path.join(logDir, `${service.name}.log`), 'utf8')
    .trim()
    .split('\n')
    .slice(-3)
    .join('\n  ');

for (const service of processes) {
  const supervisor = supervise({
    name: service.name,
    start: () => {
      const log = fs.openSync(path.join(logDir, `${service.name}.log`), 'a');
      const { args, env: launchEnv } = launch(service);
      const child = spawn(process.execPath, args, {
        cwd: ROOT,
        env: serviceEnv(service, launchEnv),
        stdio: ['ignore', log, log],
      });
      fs.closeSync(log);
      children.set(service.name, child);
      child.on('exit', () => {
        if (children.get(service.name) === child) children.delete(service.name);
      });
      return child;
    },
    report: ({ kind, code, signal, delayMs }) => {
      if (stopping) return;
      if (kind === 'exited')
        process.stderr.write(
          `[horizon] ${service.name} exited (${signal ?? code}); last log lines:\n  ${lastLogLines(service)}\n`,
        );
      else if (kind === 'restarting')
        step(`restarting ${service.name} in ${(delayMs / 1000).toFixed(1)}s (the others keep running)`);
      else {
        process.stderr.write(
          `[horizon] FAILED: ${service.name} keeps exiting; see ${path.join(logDir, `${service.name}.log`)}\n`,
        );
        shutdown(1);
      }
    },
  });
  supervisors.push(supervisor);
}

async function ready(service) {
  const url = `http://127.0.0.1:${portOf(service, env)}${service.readyPath ?? '/readyz'}`;
  const deadline = Date.now() + 60_000;
  let last = 'no answer';
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url);
      if (res.ok) return url.replace(service.readyPath ?? '/readyz', '');
      last = `${res.status} ${JSON.stringify((await res.json().catch(() => ({}))).checks ?? '')}`;
    } catch (err) {
      last = err.cause?.code ?? err.message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `${service.name} not ready after 60s (${last}); see ${path.join(logDir, `${service.name}.log`)}`,
  );
}

function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const supervisor of supervisors) supervisor.stop();
  step('stopping services…');
  for (const child of children.values()) child.kill('SIGTERM');
  const force = setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
  }, 15_000);
  const wait = setInterval(() => {
    if (children.size === 0) {
      clearInterval(wait);
      clearTimeout(force);
      process.exit(code);
    }
  }, 100);
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

const t0 = Date.now();
if (scripted)
  step(
    'no model provider configured: the scripted model server plays the agent (set SANDBOX_MODEL_PROVIDER and SANDBOX_MODEL_API_KEY for a real one)',
  );
try {
  await Promise.all(
    processes.map(async (s) => {
      const base = await ready(s);
      step(`✓ ${s.name.padEnd(16)} ready  ${base}  (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
    }),
  );
} catch (err) {
  process.stderr.write(`[horizon] FAILED: ${err.message}\n`);
  shutdown(1);
}
if (!stopping) {
  step(
    `all ${processes.length} processes ready in ${((Date.now() - t0) / 1000).toFixed(1)}s; logs in ${path.relative(ROOT, logDir)}/`,
  );
  await printConsoleLink();
  if (process.env.HORIZON_EXIT_WHEN_READY === '1') shutdown(0);
  else if (process.env.HORIZON_DEMO === '0') step('press Ctrl-C to stop');
  else runDemo();
}

/** The console's address and a one-time sign-in link for whoever started Horizon (like Jupyter's). */
async function printConsoleLink() {
  const res = spawnSync(process.execPath, [CLI, 'console', 'link'], { cwd: ROOT, env, encoding: 'utf8' });
  if (res.status === 0)
    step(`console: open ${res.stdout.trim()} to sign in (\`npx horizon console link\` prints a fresh link)`);
  else step(`console: no sign-in link (${res.stderr.trim()})`);
}

/** The demo, in its own process; the services keep serving whatever it ends with. */
function runDemo() {
  const demo = spawn(
    process.execPath,
    [
      CLI,
      'demo',
      '--if-new',
      // HORIZON_DEMO_REVIEW=console: you review the demo's pull requests in the console.
      ...(process.env.HORIZON_DEMO_REVIEW === 'console' ? ['--review-in-console'] : []),
    ],
    { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  demo.on('exit', (code) => {
    if (stopping) return;
    if (code !== 0)
      step(
        `the demo ended with exit code ${code}; the services keep running (logs in ${path.relative(ROOT, logDir)}/)`,
      );
    if (process.env.HORIZON_EXIT_AFTER_DEMO === '1') return shutdown(code ?? 1);
    step('Horizon keeps serving; press Ctrl-C to stop');
  });
}
