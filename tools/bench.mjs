#!/usr/bin/env node
// `npm run bench -- <name> [args…]`: runs bench/<name>/index.ts through swc (no build step)
// against the stack the bootstrap found, passing the extra arguments on. Each benchmark ends
// with one `BENCH <name> key=value …` line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, fail, stackEnv } from './lib/stack.mjs';

const [name, ...args] = process.argv.slice(2);
const benches = fs.existsSync(path.join(ROOT, 'bench'))
  ? fs.readdirSync(path.join(ROOT, 'bench')).filter((d) => fs.existsSync(path.join(ROOT, 'bench', d, 'index.ts')))
  : [];
if (!name) fail('no benchmark named', `run \`npm run bench -- <name>\` with one of: ${benches.join(', ') || '(none yet)'}`);
const entry = path.join(ROOT, 'bench', name, 'index.ts');
if (!fs.existsSync(entry)) fail(`bench/${name}/index.ts does not exist`, `pick one of: ${benches.join(', ') || '(none yet)'}`);

const res = spawnSync(process.execPath, ['--enable-source-maps', '-r', '@swc-node/register', entry, ...args], {
  cwd: ROOT,
  env: stackEnv(),
  stdio: 'inherit',
});
process.exit(res.status ?? 1);
