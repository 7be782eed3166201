// Fleet benchmark (`npm run bench -- fleet [repos] [cap]`), over the real Postgres and JetStream,
// with the orchestrator in-process and the sandbox stand-in answering every provision command
// with a finished run (booting 200 real bwrap sandboxes with OpenCode is more than a 2-core
// machine does in a bench run, so no sandbox and no forge is involved: what is measured is the
// orchestrator's share of a fleet):
//  1. baseline: `repos` plain work items through the work API's own path (apiWorkItemCreate),
//     at the same concurrency, from publish to every run provisioned;
//  2. a fleet of `repos` repositories at cap `cap`: from the create RPC to every child
//     created+queued (the fan-out), and to every child provisioned; orchestrator-process CPU per
//     child against the baseline's per item (same process: the stand-in's share is in both);
//  3. a restart mid-fan-out (the orchestrator stopped right after the create, a second replica
//     booted with it again): children fanned out once each, none lost, no run started twice.
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { apiWorkItemCreate, orchestratorCreateFleet } from '@horizon/contracts';
import { RpcClient } from '@horizon/messaging';
import { createRequest } from '@horizon/testing';
import { OrchestratorStack, until } from '../../apps/orchestrator/test/harness';

const repos = Number(process.argv[2] ?? 200);
const cap = Number(process.argv[3] ?? 20);
const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const names = (prefix: string) =>
  Array.from({ length: repos }, (_, i) => `${prefix}/svc-${String(i).padStart(4, '0')}`);

async function main(): Promise<void> {
  const stack = await OrchestratorStack.start({
    env: {
      MAX_CONCURRENT_RUNS: String(cap),
      MAX_CONCURRENT_RUNS_PER_REPO: '5',
      SCHEDULER_INTERVAL_MS: '200',
    },
  });
  const rpc = new RpcClient(stack.connection, 'bench-fleet');
  const provisionedRepos = (prefix: string) =>
    new Set(
      stack.standIn.provisions.filter((p) => p.data.repo.startsWith(`${prefix}/`)).map((p) => p.data.repo),
    );
  const count = async (sql: string, params: unknown[]) =>
    (await stack.query<{ n: number }>(sql, params))[0]!.n;

  try {
    // 1. Baseline: the same number of items through the work API's path.
    let cpu = process.cpuUsage();
    let t0 = performance.now();
    await Promise.all(
      names('base').map((repo, i) =>
        stack.publish(apiWorkItemCreate, createRequest({ title: `Item ${i}`, repo })),
      ),
    );
    await until(
      () => provisionedRepos('base').size === repos,
      'every baseline item provisioned',
      300_000,
      20,
    );
    const baselineS = (performance.now() - t0) / 1000;
    const baselineCpu = process.cpuUsage(cpu);
    const baselineCpuMs = (baselineCpu.user + baselineCpu.system) / 1000 / repos;
    console.log(
      `baseline: ${repos} work items provisioned in ${round(baselineS, 2)} s, ${round(baselineCpuMs, 2)} ms CPU each`,
    );

    // 2. The fleet.
    const fleetRepos = names('fleet');
    cpu = process.cpuUsage();
    t0 = performance.now();
    const fleet = await rpc.call(orchestratorCreateFleet, {
      fleet: { title: 'Bench fleet', prompt: 'Bump it.', selector: { repos: fleetRepos }, cap, priority: 5 },
      ownerId: null,
      requestedBy: 'bench',
    });
    const createdMs = performance.now() - t0;
    await until(
      async () =>
        (await count(
          `SELECT count(*)::int AS n FROM "FleetChild" WHERE "fleetId" = $1 AND "dispatchedAt" IS NOT NULL`,
          [fleet.id],
        )) === repos,
      'every child created and queued',
      300_000,
      20,
    );
    const fanOutS = (performance.now() - t0) / 1000;
    let peak = 0;
    await until(
      async () => {
        const [row] = await stack.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "WorkItem" WHERE "sourceRefs"->'fleet'->>'id' = $1 AND state IN ('provisioning','running','verifying')`,
          [fleet.id],
        );
        peak = Math.max(peak, row!.n);
        return provisionedRepos('fleet').size === repos;
      },
      'every child provisioned',
      300_000,
      20,
    );
    const fleetS = (performance.now() - t0) / 1000;
    const fleetCpu = process.cpuUsage(cpu);
    const fleetCpuMs = (fleetCpu.user + fleetCpu.system) / 1000 / repos;
    console.log(
      `fleet: create RPC ${round(createdMs)} ms; ${repos} children created+queued in ${round(fanOutS, 2)} s, provisioned in ${round(fleetS, 2)} s at cap ${cap} (peak in flight seen ${peak}), ${round(fleetCpuMs, 2)} ms CPU each`,
    );

    // 3. Restart mid-fan-out, a replica joining: nothing lost, nothing twice.
    stack.standIn.behaviour = () => 'hold';
    const restartRepos = names('restart');
    const restarted = await rpc.call(orchestratorCreateFleet, {
      fleet: {
        title: 'Restart fleet',
        prompt: 'Bump it.',
        selector: { repos: restartRepos },
        cap,
        priority: 5,
      },
      ownerId: null,
      requestedBy: 'bench',
    });
    await stack.stopApp();
    const dispatchedAtStop = await count(
      `SELECT count(*)::int AS n FROM "FleetChild" WHERE "fleetId" = $1 AND "dispatchedAt" IS NOT NULL`,
      [restarted.id],
    );
    await Promise.all([stack.boot(), stack.bootReplica()]);
    await until(
      async () =>
        (await count(
          `SELECT count(*)::int AS n FROM "FleetChild" WHERE "fleetId" = $1 AND "dispatchedAt" IS NOT NULL`,
          [restarted.id],
        )) === repos,
      'every child fanned out after the restart',
      120_000,
    );
    await until(
      () => provisionedRepos('restart').size >= Math.min(cap, repos),
      'the cap filled again',
      60_000,
    );
    await new Promise((r) => setTimeout(r, 2000));
    const items = await stack.query<{ repo: string; n: number }>(
      `SELECT repo, count(*)::int AS n FROM "WorkItem" WHERE "sourceRefs"->'fleet'->>'id' = $1 GROUP BY repo`,
      [restarted.id],
    );
    const lost = repos - items.length;
    const doubled = items.filter((i) => i.n > 1).length;
    const provisions = stack.standIn.provisions.filter((p) => p.data.repo.startsWith('restart/'));
    const startedTwice = provisions.length - new Set(provisions.map((p) => p.data.workItemId)).size;
    console.log(
      `restart: ${dispatchedAtStop} of ${repos} children fanned out when stopped; after: lost=${lost} doubled=${doubled} runs started twice=${startedTwice}, ${provisions.length} in flight (cap ${cap})`,
    );

    const overheadMs = ((fleetS - baselineS) * 1000) / repos;
    console.log(
      `BENCH fleet repos=${repos} cap=${cap} fanout_s=${round(fanOutS, 2)} fanout_ms_per_child=${round((fanOutS * 1000) / repos, 2)} provisioned_s=${round(fleetS, 2)} baseline_provisioned_s=${round(baselineS, 2)} ratio=${round(fleetS / baselineS, 2)} overhead_ms_per_child=${round(overheadMs, 2)} cpu_ms_per_child=${round(fleetCpuMs, 2)} baseline_cpu_ms_per_item=${round(baselineCpuMs, 2)} cpu_ratio=${round(fleetCpuMs / baselineCpuMs, 2)} restart_fanned_at_stop=${dispatchedAtStop} lost=${lost} doubled=${doubled} started_twice=${startedTwice}`,
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
