// Small system helpers of the bootstrap: commands, Debian packages, ports. Plain Node, no
// dependencies: the bootstrap runs them before node_modules exists.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ROOT, fail, step } from './stack.mjs';

export function hashFiles(files) {
  const h = crypto.createHash('sha256');
  // Paths relative to the checkout: two clones of the same commit share one database stamp.
  for (const f of files) if (fs.existsSync(f)) h.update(path.relative(ROOT, f)).update(fs.readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

export function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, {
    cwd: ROOT,
    stdio: opts.quiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
    ...opts,
  });
  if (res.status !== 0) {
    const detail = opts.quiet
      ? `${res.stderr ?? ''}${res.stdout ?? ''}`.trim().split('\n').slice(-5).join(' | ')
      : '';
    fail(
      `${cmd} ${args.join(' ')} exited with ${res.status ?? res.signal}${detail ? `: ${detail}` : ''}`,
      opts.todo ?? 'read the output above',
    );
  }
  return res.stdout ?? '';
}

export function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim() || null;
}

export const isRoot = process.getuid?.() === 0;
let aptUpdated = false;
export function aptInstall(packages, why) {
  if (!which('apt-get'))
    fail(
      `${packages.join(', ')} missing (${why})`,
      `install ${packages.join(' ')} with your package manager`,
    );
  if (!isRoot)
    fail(`${packages.join(', ')} missing (${why})`, `run: sudo apt-get install -y ${packages.join(' ')}`);
  step(`installing Debian packages: ${packages.join(' ')} (${why})…`);
  if (!aptUpdated)
    run('apt-get', ['update', '-qq'], { quiet: true, todo: 'check that Debian mirrors are reachable' });
  aptUpdated = true;
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    quiet: true,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    todo: `run: apt-get install -y ${packages.join(' ')}`,
  });
}

export function portOpen(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const s = net.connect({ port, host, timeout: 1000 });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function waitFor(probe, what, timeoutMs, todo) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  fail(`${what} did not come up within ${timeoutMs / 1000}s`, todo);
}
