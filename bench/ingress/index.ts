// Ingress benchmark (`npm run bench -- ingress [--cpu-prof]`): ingress runs in a child process
// with its own database and stream prefix; a load generator in another process sends signed
// real GitHub payloads over HTTP keep-alive and measures accepted/s and latency; then, in the
// same run, the baseline: a bare JetStream publish loop (same envelope size, same concurrency).
// Knobs: BENCH_CONCURRENCY (32), BENCH_TOTAL (20000), BENCH_WARMUP (1000), BENCH_MAX_SECONDS (60).
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { JetStreamConnection, Naming } from '@horizon/messaging';
import { freePort } from '@horizon/testing/src/nats-server';
import { createTestDatabase, createTestMessaging, suiteId } from '@horizon/testing/src/stack';
import type { LoadResult } from './load';

const ROOT = path.resolve(__dirname, '..', '..');
const SECRET = 'bench-secret';
const cpuProf = process.argv.includes('--cpu-prof');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}
const round = (n: number, digits = 2) => Number(n.toFixed(digits));

function runTs(file: string, args: string[], env: NodeJS.ProcessEnv, nodeArgs: string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeArgs, '-r', '@swc-node/register', file, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function load(args: string[], env: NodeJS.ProcessEnv): Promise<LoadResult> {
  const child = runTs(path.join(__dirname, 'load.ts'), args, env);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`load generator exited ${code}`);
  return JSON.parse(out.trim().split('\n').pop()!) as LoadResult;
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`ingress exited (${child.exitCode}) before it was ready`);
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('ingress not ready after 60 s');
}

function summary(r: LoadResult) {
  const sorted = [...r.latenciesMs].sort((a, b) => a - b);
  return {
    perSecond: r.accepted / r.seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

async function main(): Promise<void> {
  const id = suiteId();
  const [db, messaging, port] = await Promise.all([
    createTestDatabase(id),
    createTestMessaging(id),
    freePort(),
  ]);
  const url = `http://127.0.0.1:${port}`;
  const profDir = path.join(ROOT, '.horizon', 'bench', 'ingress');
  if (cpuProf) fs.mkdirSync(profDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: db.url,
    NATS_URL: messaging.natsUrl,
    HZN_STREAM_PREFIX: messaging.prefix,
    LOG_LEVEL: 'warn',
  };
  const ingress = runTs(
    path.join(ROOT, 'apps', 'ingress', 'src', 'main.ts'),
    [],
    { ...env, INGRESS_PORT: String(port), GITHUB_WEBHOOK_SECRET: SECRET },
    cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [],
  );
  ingress.stdout!.resume();
  const stopIngress = async () => {
    if (ingress.exitCode !== null) return;
    const exited = new Promise((r) => ingress.once('exit', r));
    ingress.kill('SIGTERM');
    await exited;
  };
  try {
    await waitReady(url, ingress);
    const viaIngress = await load(['http', `${url}/webhooks/github`], { ...env, BENCH_SECRET: SECRET });

    const reader = await JetStreamConnection.connect({
      natsUrl: messaging.natsUrl,
      prefix: messaging.prefix,
      name: 'bench-reader',
    });
    const info = await reader.jsm.streams.info(new Naming(messaging.prefix).stream('INGRESS'));
    await reader.close();
    const envelopeBytes = Math.round(info.state.bytes / Math.max(1, info.state.messages));
    const bare = await load(['publish'], { ...env, BENCH_ENVELOPE_BYTES: String(envelopeBytes) });

    const ours = summary(viaIngress);
    const floor = summary(bare);
    process.stdout.write(
      `ingress: ${viaIngress.accepted}/${viaIngress.sent} accepted in ${round(viaIngress.seconds)} s (non-202: ${JSON.stringify(viaIngress.other)}); ` +
        `stream holds ${info.state.messages} messages of ~${envelopeBytes} B (warm-up included)\n` +
        `bare publish: ${bare.accepted} in ${round(bare.seconds)} s, p50 ${round(floor.p50)} ms, p99 ${round(floor.p99)} ms\n`,
    );
    if (cpuProf)
      process.stdout.write(
        `CPU profile of ingress in ${path.relative(ROOT, profDir)}/ (written when it stops)\n`,
      );
    process.stdout.write(
      `BENCH ingress accepted_per_s=${Math.round(ours.perSecond)} p50_ms=${round(ours.p50)} p99_ms=${round(ours.p99)} max_ms=${round(ours.max)} ` +
        `bare_publish_per_s=${Math.round(floor.perSecond)} ratio=${round(ours.perSecond / floor.perSecond)}\n`,
    );
  } finally {
    await stopIngress();
    await messaging.cleanup();
    await db.drop();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench ingress: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
