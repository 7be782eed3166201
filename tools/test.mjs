#!/usr/bin/env node
// `npm test`: every jest suite (unit and integration against the real stack), in parallel
// workers, then the console's browser suites (vitest in jsdom), then one closing line
// `N passed, N failed` over both. Extra arguments go to jest, or to vitest when every path
// among them is inside the console's browser app (apps/console/web).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildAll } from './build.mjs';
import { bundlesStale } from './lib/bundles-stale.mjs';
import { DATA_DIR, ROOT, stackEnv } from './lib/stack.mjs';

const WEB = path.join(ROOT, 'apps/console/web');
const args = process.argv.slice(2);
const paths = args.filter((a) => !a.startsWith('-')).map((a) => path.resolve(ROOT, a));
const inWeb = (p) => p === WEB || p.startsWith(WEB + path.sep);
// A path above the web app (`apps`, `apps/console`) holds suites of both runners.
const coversWeb = (p) => inWeb(p) || WEB.startsWith(p + path.sep);
const webOnly = paths.length > 0 && paths.every(inWeb);
const runJest = !webOnly;
const runVitest = args.length === 0 || paths.some(coversWeb);

/** Runs one test runner that writes a jest-style JSON summary; null when it wrote none. */
function run(name, cmd, report, env = stackEnv()) {
  fs.rmSync(report, { force: true });
  const res = spawnSync('npx', cmd, { cwd: ROOT, env, stdio: 'inherit' });
  let summary = null;
  try {
    summary = JSON.parse(fs.readFileSync(report, 'utf8'));
  } catch {
    // The runner died before writing its report: its exit code says so below.
    process.stderr.write(`${name} wrote no report (exit ${res.status ?? res.signal})\n`);
  }
  return { ok: res.status === 0, summary };
}

const runs = [];
if (runJest) {
  // Suites that start whole services start them from the production bundles (7 s of CPU less
  // per stack than compiling TypeScript at each start), rebuilt first when older than their
  // sources; the suites about `npm start` itself keep running it from source.
  if (bundlesStale()) {
    process.stdout.write('[horizon] the service bundles are older than their sources: building them\n');
    await buildAll();
  }
  const report = path.join(DATA_DIR, 'jest-report.json');
  runs.push(
    run('jest', ['jest', '--ci', '--maxWorkers=2', '--json', `--outputFile=${report}`, ...args], report, {
      ...stackEnv(),
      HORIZON_TEST_BUNDLES: '1',
    }),
  );
}
if (runVitest) {
  const report = path.join(DATA_DIR, 'vitest-report.json');
  const filters = paths.filter((p) => inWeb(p) && p !== WEB).map((p) => path.relative(WEB, p));
  const cmd = ['vitest', 'run', '--config', 'apps/console/vitest.config.ts'];
  cmd.push('--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...filters);
  // The config is TypeScript in a CommonJS package; Vite bundles it fine but warns that its
  // future native loader would not: noise on every run until the repository moves to ESM.
  runs.push(run('vitest', cmd, report, { ...stackEnv(), VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' }));
}

const total = { passed: 0, failed: 0, skipped: 0, ran: 0 };
for (const { summary } of runs) {
  if (!summary) continue;
  total.passed += summary.numPassedTests;
  total.failed += summary.numFailedTests;
  total.skipped += summary.numPendingTests + summary.numTodoTests;
  total.ran += summary.numTotalTests;
}
process.stdout.write(
  `\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}\n`,
);
if (total.ran === 0) {
  process.stderr.write('no test ran: that is a failure\n');
  process.exit(1);
}
process.exit(runs.every((r) => r.ok && r.summary) ? 0 : 1);
