// Orchestrator benchmark (`npm run bench -- orchestrator [chains] [items]`), over the real
// Postgres and JetStream, with the orchestrator in-process and a no-op sandbox stand-in:
//  1. merge event → the dependent's provision command, p50/p99 over N chains A→B;
//  2. M independent work items through the whole lifecycle (queued → provisioning → running →
//     in_review → merged → done), the stand-in answering provision commands and this script
//     merging each PR as it opens; the time, and how many did not arrive (lost);
//  and a baseline: one bare Postgres transaction plus one JetStream publish, the floor of any
//     handler that writes and announces, measured in the same run.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  DataOf,
  EnvelopeOf,
  apiWorkItemCreate,
  envelopeFor,
  githubPullRequest,
  workItemStateChanged,
} from '@horizon/contracts';
import { OrchestratorStack, until } from '../../apps/orchestrator/test/harness';
import { createRequest, pullRequestClosed } from '@horizon/testing';

const chains = Number(process.argv[2] ?? 200);
const items = Number(process.argv[3] ?? 1000);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

async function main(): Promise<void> {
  const stack = await OrchestratorStack.start({
    env: {
      // The chain tails stay provisioning (the stand-in holds them): room for them and 200 more.
      MAX_CONCURRENT_RUNS: String(chains + 200),
      MAX_CONCURRENT_RUNS_PER_REPO: String(chains + 200),
      SCHEDULER_INTERVAL_MS: '1000',
    },
  });
  const branches = new Map<string, string>();
  const latencyDependents = new Set<string>();
  stack.standIn.behaviour = (cmd) => {
    branches.set(cmd.workItemId, cmd.branch);
    return latencyDependents.has(cmd.workItemId) ? 'hold' : 'succeed';
  };
  let pr = 1;
  const merge = (workItemId: string) =>
    stack.publish(
      githubPullRequest,
      pullRequestClosed({ branch: branches.get(workItemId) as string, number: pr++, merged: true }),
    );
  const inReview = new Set<string>();
  const autoMerge = new Set<string>();
  await stack.consume(
    'bench-observer',
    'EVT',
    'hzn.evt.workitem.>',
    new Map([
      [
        workItemStateChanged.subject,
        async (env) => {
          const { workItemId, to } = (env as EnvelopeOf<typeof workItemStateChanged>).data;
          if (to !== 'in_review') return;
          inReview.add(workItemId);
          if (autoMerge.has(workItemId)) await merge(workItemId);
        },
      ],
    ]),
  );

  try {
    // Baseline first, on a quiet system: a bare transaction and a JetStream publish, a handler's floor.
    const baseline: number[] = [];
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      const client = await stack.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO "ProcessedMessage" ("consumer", "envelopeId") VALUES ('bench-baseline', $1)`,
          [randomUUID()],
        );
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      await stack.publisher.publish(
        envelopeFor(
          workItemStateChanged,
          {
            workItemId: randomUUID(),
            from: 'queued',
            to: 'provisioning',
            cause: 'baseline',
            runId: null,
            sourceRefs: {},
          },
          { source: 'bench' },
        ),
      );
      baseline.push(performance.now() - started);
    }
    baseline.sort((x, y) => x - y);
    const baselineMs = percentile(baseline, 50);
    console.log(
      `baseline (one Postgres transaction + one JetStream publish): p50 ${round(baselineMs, 2)} ms`,
    );

    // 1. merge → next provision, over `chains` chains A→B.
    const heads: string[] = [];
    const tails: string[] = [];
    for (let i = 0; i < chains; i++) {
      const a = createRequest({ title: `Chain ${i} head` });
      const tail = randomUUID();
      heads.push(a.workItemId);
      tails.push(tail);
      latencyDependents.add(tail);
      await stack.publish(apiWorkItemCreate, a);
    }
    await until(
      async () => (await stack.query(`SELECT 1 FROM "WorkItem"`)).length === chains,
      'heads recorded',
      60_000,
    );
    for (let i = 0; i < chains; i++) {
      await stack.publish(
        apiWorkItemCreate,
        createRequest({ id: tails[i], title: `Chain ${i} tail`, blockedBy: [heads[i]!] }),
      );
    }
    await until(() => heads.every((h) => inReview.has(h)), 'every chain head in review', 120_000);
    await until(
      async () => (await stack.query(`SELECT 1 FROM "WorkItem" WHERE state = 'blocked'`)).length === chains,
      'every chain tail blocked',
      60_000,
    );
    const latencies: number[] = [];
    for (let i = 0; i < chains; i++) {
      const started = performance.now();
      await merge(heads[i]!);
      await until(() => stack.standIn.firstProvisionAt.has(tails[i]!), `chain ${i} tail provision`, 10_000);
      latencies.push(stack.standIn.firstProvisionAt.get(tails[i]!)! - started);
    }
    latencies.sort((x, y) => x - y);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.log(`merge → provision over ${chains} chains: p50 ${round(p50)} ms, p99 ${round(p99)} ms`);

    // 2. `items` work items through the full lifecycle.
    const ids: string[] = [];
    const requests: DataOf<typeof apiWorkItemCreate>[] = [];
    for (let i = 0; i < items; i++) {
      const request = createRequest({ title: `Bulk item ${i}` });
      requests.push(request);
      ids.push(request.workItemId);
      autoMerge.add(request.workItemId);
    }
    const t0 = performance.now();
    await Promise.all(requests.map((r) => stack.publish(apiWorkItemCreate, r)));
    const doneCount = async () =>
      (
        await stack.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "WorkItem" WHERE state = 'done' AND id = ANY($1::uuid[])`,
          [ids],
        )
      )[0]!.n;
    let done = 0;
    await until(
      async () => {
        done = await doneCount();
        return done === items;
      },
      'every bulk item done',
      60_000,
    ).catch(() => undefined);
    const totalS = (performance.now() - t0) / 1000;
    const lost = items - done;
    const states = await stack.query<{ state: string; n: number }>(
      `SELECT state::text, count(*)::int AS n FROM "WorkItem" WHERE id = ANY($1::uuid[]) GROUP BY state`,
      [ids],
    );
    console.log(
      `${items} items through the lifecycle in ${round(totalS, 2)} s; by state: ${states.map((s) => `${s.state}=${s.n}`).join(' ')}`,
    );

    console.log(
      `BENCH orchestrator merge_to_provision_p50_ms=${round(p50)} p99_ms=${round(p99)} items=${items} total_s=${round(totalS, 2)} lost=${lost} baseline_roundtrip_ms=${round(baselineMs, 2)} ratio=${round(p50 / baselineMs, 1)}`,
    );
  } finally {
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
