// Service start-up benchmark (`npm run bench -- build [rounds]`): each service's time from spawn
// to its first 200 on /readyz, from its TypeScript through swc (how `npm start` runs it) and
// from the bundle `npm run build` makes (how production runs it), interleaved service by service
// in one run so load on the machine hits both alike. Each start gets a fresh test database and
// stream prefix; readiness is polled every 100 ms (the same for both). Ends with the worst
// service's built time (the goal: under 2 s each) and the median speed-up.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SERVICE_SCHEMAS, type ServiceWithSchema } from '@horizon/db';
import { createTestDatabase, createTestMessaging, startServiceProcess } from '@horizon/testing';

const ROOT = path.resolve(__dirname, '..', '..');
const rounds = Number(process.argv[2] ?? 2);
// Where tools/build.mjs writes the agent runner (RUNNER_BUNDLE in tools/lib/services.mjs).
const RUNNER_BUNDLE = path.join(ROOT, 'apps', 'agent-runner', 'dist', 'agent-runner.cjs');

async function timeToReady(service: ServiceWithSchema, built: boolean) {
  const [db, messaging] = await Promise.all([createTestDatabase(), createTestMessaging()]);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hzn-bench-build-'));
  const env: Record<string, string> = { SANDBOX_FORGE_URL: path.join(dataDir, 'forge') };
  if (built) env.SANDBOX_RUNNER_BUNDLE = RUNNER_BUNDLE;
  try {
    const started = performance.now();
    const process = await startServiceProcess(service, { db, messaging, dataDir, env, built });
    const ms = performance.now() - started;
    await process.stop();
    return ms;
  } finally {
    await Promise.all([messaging.cleanup(), db.drop()]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  // `npm run build` itself, as a deployment runs it.
  const build = spawnSync(process.execPath, [path.join(ROOT, 'tools', 'build.mjs')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stderr}`);
  const services = Object.keys(SERVICE_SCHEMAS) as ServiceWithSchema[];

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const fields: string[] = [];
  const ratios: number[] = [];
  let worstBuilt = 0;
  for (const service of services) {
    const swc: number[] = [];
    const built: number[] = [];
    for (let i = 0; i < rounds; i++) {
      swc.push(await timeToReady(service, false));
      built.push(await timeToReady(service, true));
    }
    const [s, b] = [median(swc), median(built)];
    process.stderr.write(`${service.padEnd(16)} swc ${Math.round(s)} ms  built ${Math.round(b)} ms\n`);
    const key = service.replace(/-/g, '_');
    fields.push(`${key}_swc_ms=${Math.round(s)}`, `${key}_built_ms=${Math.round(b)}`);
    ratios.push(s / b);
    worstBuilt = Math.max(worstBuilt, b);
  }
  process.stdout.write(
    `BENCH build rounds=${rounds} ${fields.join(' ')} worst_built_ms=${Math.round(worstBuilt)} speedup_p50=${median(ratios).toFixed(2)}\n`,
  );
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`bench build failed: ${err.stack}\n`);
    process.exit(1);
  },
);
