#!/usr/bin/env node
// `npm run bench -- <name> [args…]`: runs bench/<name>/index.ts through swc with the stack's
// environment (as `npm test` does), passing the extra arguments on. Each bench ends with one
// `BENCH <name> key=value …` line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, stackEnv } from './lib/stack.mjs';

const [name, ...rest] = process.argv.slice(2);
const benches = fs.existsSync(path.join(ROOT, 'bench'))
  ? fs
      .readdirSync(path.join(ROOT, 'bench'))
      .filter((d) => fs.existsSync(path.join(ROOT, 'bench', d, 'index.ts')))
  : [];
if (!name || !benches.includes(name)) {
  process.stderr.write(
    `usage: npm run bench -- <name> [args…]   (benchmarks: ${benches.join(', ') || 'none'})\n`,
  );
  process.exit(2);
}
const entry = path.join(ROOT, 'bench', name, 'index.ts');
const res = spawnSync(
  process.execPath,
  ['--enable-source-maps', '-r', '@swc-node/register', entry, ...rest],
  {
    cwd: ROOT,
    env: stackEnv(),
    stdio: 'inherit',
  },
);
process.exit(res.status ?? 1);
