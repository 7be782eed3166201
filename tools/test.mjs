#!/usr/bin/env node
// `npm test`: every jest suite (unit and integration against the real stack), in parallel
// workers, then one closing line `N passed, N failed`. Extra arguments go to jest.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DATA_DIR, ROOT, stackEnv } from './lib/stack.mjs';

const report = path.join(DATA_DIR, 'jest-report.json');
fs.rmSync(report, { force: true });
const args = ['jest', '--ci', '--maxWorkers=2', '--json', `--outputFile=${report}`, ...process.argv.slice(2)];
const res = spawnSync('npx', args, { cwd: ROOT, env: stackEnv(), stdio: 'inherit' });
let summary = null;
try {
  summary = JSON.parse(fs.readFileSync(report, 'utf8'));
} catch {
  // jest died before writing its report: its exit code says so below.
}
if (summary) {
  const skipped = summary.numPendingTests + summary.numTodoTests;
  process.stdout.write(
    `\n${summary.numPassedTests} passed, ${summary.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
  );
  if (summary.numTotalTests === 0) {
    process.stderr.write('no test ran: that is a failure\n');
    process.exit(1);
  }
}
process.exit(res.status ?? 1);
