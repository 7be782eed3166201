// Fault-suite benchmark (`npm run bench -- chaos [perFault] [concurrency] [paceMs]`): the faults of
// e2e/test/chaos.test.ts with bigger bursts sent as fast as ingress answers, and the orchestrator
// paused past JetStream's ack wait (30 s), so messages it held are redelivered while it is frozen.
// Prints the counts per fault (sent, accepted, processed, duplicated, lost, recovery time) and
// one `BENCH chaos …` line; throughput under each fault is a ratio to the fault-free burst of the
// same run. Ingress, orchestrator and identity-broker run as processes on a private Postgres and NATS.
import { BASELINE, ChaosRun, chaosTable, runChaos, startFaultStack } from '@horizon/testing';
import { defaultWatchdogRules } from '@horizon/orchestrator';

const perFault = Number(process.argv[2] ?? 300);
const concurrency = Number(process.argv[3] ?? 8);
// Each sender's pause between requests: the load stays near what the orchestrator applies, so
// what is measured is the faults, not a backlog growing without end.
const paceMs = Number(process.argv[4] ?? 50);

const round = (n: number, digits = 2) => Number(n.toFixed(digits));
const slug = (phase: string) =>
  phase
    .toLowerCase()
    .replace(/\(.*\)/, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

async function main(): Promise<void> {
  const stack = await startFaultStack({
    services: ['identity-broker', 'orchestrator', 'ingress'],
    retryForMs: 120_000,
  });
  let run: ChaosRun;
  try {
    run = await runChaos(stack, {
      baseline: { count: perFault, concurrency, paceMs },
      perFault: { count: perFault, concurrency, paceMs, leadMs: 500, readyTimeoutMs: 120_000 },
      timings: {
        natsDownMs: 5_000,
        postgresDownMs: 5_000,
        // Past the orchestrator's 5 s RPC timeout, JetStream's 30 s ack wait, a client's 10 s request timeout.
        paused: { 'identity-broker': 10_000, orchestrator: 35_000, ingress: 12_000 },
      },
      settleMs: 300_000,
      bounds: defaultWatchdogRules,
      log: (line) => console.log(line),
    });
  } finally {
    await stack.close();
  }
  const { verdict, settledMs } = run;
  console.log(chaosTable(verdict));
  for (const problem of verdict.problems.slice(0, 20)) console.log(`problem: ${problem}`);
  const at = verdict.phases.findIndex((p) => p.phase === BASELINE);
  const baseline = verdict.phases[at];
  const faults = verdict.phases.slice(at + 1);
  const ratios = faults.map((p) => p.throughput / baseline!.throughput);
  const recovery = faults.map((p) => `recovery_${slug(p.phase)}_ms=${p.recoveryMs}`);
  console.log(
    [
      'BENCH chaos',
      `sent=${verdict.total.sent}`,
      `accepted=${verdict.total.accepted}`,
      `processed=${verdict.total.processed}`,
      `duplicated=${verdict.total.duplicated}`,
      `lost=${verdict.total.lost}`,
      `refused=${verdict.total.refused}`,
      `gave_up=${verdict.total.gaveUp}`,
      `dead_letters=${verdict.deadLetters.length}`,
      `overdue=${verdict.overdue.length}`,
      `crashes=${verdict.crashes.length}`,
      `baseline_accepted_per_s=${baseline!.throughput}`,
      `throughput_ratio_min=${round(Math.min(...ratios))}`,
      `throughput_ratio_mean=${round(ratios.reduce((a, b) => a + b, 0) / ratios.length)}`,
      ...recovery,
      `settle_ms=${settledMs}`,
    ].join(' '),
  );
  if (verdict.problems.length > 0) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
