#!/usr/bin/env node
// `npm start`: every service up against the stack the bootstrap found, one line each once
// ready; logs under .horizon/logs/. Ctrl-C stops them all cleanly (SIGTERM, drain, exit).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SERVICES, launchArgs, portOf } from './lib/services.mjs';
import { DATA_DIR, ROOT, stackEnv, step } from './lib/stack.mjs';

const env = stackEnv();
const logDir = path.join(DATA_DIR, 'logs');
fs.mkdirSync(logDir, { recursive: true });
const children = new Map();
let stopping = false;

for (const service of SERVICES) {
  const log = fs.openSync(path.join(logDir, `${service.name}.log`), 'a');
  const child = spawn(process.execPath, launchArgs(service), { cwd: ROOT, env, stdio: ['ignore', log, log] });
  children.set(service.name, child);
  child.on('exit', (code, signal) => {
    children.delete(service.name);
    if (!stopping) {
      const tail = fs
        .readFileSync(path.join(logDir, `${service.name}.log`), 'utf8')
        .trim()
        .split('\n')
        .slice(-3)
        .join('\n  ');
      process.stderr.write(
        `[horizon] ${service.name} exited (${signal ?? code}); last log lines:\n  ${tail}\n`,
      );
      shutdown(1);
    }
  });
}

async function ready(service) {
  const url = `http://127.0.0.1:${portOf(service, env)}/readyz`;
  const deadline = Date.now() + 60_000;
  let last = 'no answer';
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url);
      if (res.ok) return url.replace('/readyz', '');
      last = JSON.stringify((await res.json()).checks);
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
try {
  await Promise.all(
    SERVICES.map(async (s) => {
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
    `all ${SERVICES.length} services ready in ${((Date.now() - t0) / 1000).toFixed(1)}s; logs in ${path.relative(ROOT, logDir)}/`,
  );
  if (process.env.HORIZON_EXIT_WHEN_READY === '1') shutdown(0);
  else step('press Ctrl-C to stop');
}
