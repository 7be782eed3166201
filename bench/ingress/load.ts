// The load generator, in its own process (`bench/ingress/index.ts` starts it): either signed
// GitHub deliveries over HTTP keep-alive to a running ingress (`http <url>`), or the bare
// baseline, the same envelopes published straight to JetStream (`publish`). Bounded
// concurrency, bounded count and time, loopback only. Prints one JSON result line.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { JetStreamConnection } from '@horizon/messaging';
import { githubDelivery, githubExamples } from '@horizon/testing/src/fixtures';

export interface LoadResult {
  sent: number;
  accepted: number;
  other: Record<string, number>;
  seconds: number;
  latenciesMs: number[];
}

const [mode, target] = process.argv.slice(2);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const total = Number(process.env.BENCH_TOTAL ?? 20000);
const warmup = Number(process.env.BENCH_WARMUP ?? 1000);
const maxSeconds = Number(process.env.BENCH_MAX_SECONDS ?? 60);
const secret = process.env.BENCH_SECRET ?? 'bench-secret';

/** Real handled payloads: a pull request opened, a comment, a review, a check run. */
function payloads() {
  const pick = (event: string, action: string) => ({
    event,
    payload: githubExamples(event).find((p) => p.action === action)!,
  });
  return [
    pick('pull_request', 'opened'),
    pick('issue_comment', 'created'),
    pick('pull_request_review', 'submitted'),
    pick('check_run', 'completed'),
  ].map(({ event, payload }) => ({ event, ...githubDelivery(event, payload, secret, 'template') }));
}

/** Runs `one(i)` for i < count with at most `concurrency` in flight; stops early after maxSeconds. */
async function drive(
  count: number,
  one: (i: number) => Promise<boolean>,
  latencies: number[] | null,
  outcome: (ok: boolean) => void,
) {
  let next = 0;
  const deadline = performance.now() + maxSeconds * 1000;
  const worker = async () => {
    while (next < count && performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      const ok = await one(i);
      latencies?.push(performance.now() - t0);
      outcome(ok);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (performance.now() - started) / 1000;
}

async function httpLoad(url: string): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const { hostname, port, pathname } = new URL(url);
  if (hostname !== '127.0.0.1' && hostname !== 'localhost')
    throw new Error('the load generator only targets loopback');
  const templates = payloads();
  const other: Record<string, number> = {};
  const send = (i: number) =>
    new Promise<boolean>((resolve, reject) => {
      const t = templates[i % templates.length]!;
      const req = http.request(
        {
          agent,
          hostname,
          port,
          path: pathname,
          method: 'POST',
          headers: { ...t.headers, 'x-github-delivery': randomUUID(), 'content-length': t.rawBody.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== 202)
              other[String(res.statusCode)] = (other[String(res.statusCode)] ?? 0) + 1;
            resolve(res.statusCode === 202);
          });
        },
      );
      req.on('error', reject);
      req.end(t.rawBody);
    });
  await drive(warmup, send, null, () => undefined);
  const latenciesMs: number[] = [];
  let accepted = 0;
  const seconds = await drive(total, send, latenciesMs, (ok) => (accepted += ok ? 1 : 0));
  agent.destroy();
  return { sent: latenciesMs.length, accepted, other, seconds, latenciesMs };
}

/** The floor: envelopes of the same size published to the same stream, same concurrency, each awaiting its ack. */
async function bareLoad(): Promise<LoadResult> {
  const connection = await JetStreamConnection.connect({
    natsUrl: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
    prefix: process.env.HZN_STREAM_PREFIX ?? '',
    name: 'bench-bare-publish',
  });
  const size = Number(process.env.BENCH_ENVELOPE_BYTES ?? 4096);
  const body = new TextEncoder().encode(JSON.stringify({ pad: 'x'.repeat(Math.max(0, size - 12)) }));
  const subject = connection.naming.subject('hzn.ingress.bench.bare');
  const publish = async () => {
    await connection.js.publish(subject, body, { msgID: randomUUID() });
    return true;
  };
  await drive(warmup, publish, null, () => undefined);
  const latenciesMs: number[] = [];
  let accepted = 0;
  const seconds = await drive(total, publish, latenciesMs, () => (accepted += 1));
  await connection.close();
  return { sent: latenciesMs.length, accepted, other: {}, seconds, latenciesMs };
}

(mode === 'http' ? httpLoad(target!) : bareLoad()).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (err: Error) => {
    process.stderr.write(`load: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
