import { ChaosRun, FaultStack, chaosTable, runChaos, startFaultStack } from '@horizon/testing';
import { defaultWatchdogRules } from '@horizon/orchestrator';

/**
 * The fault suite, short (bench/chaos runs it with bigger bursts and prints the figures):
 * ingress, orchestrator and identity-broker as processes on a Postgres and a NATS of the suite's
 * own; webhooks and work-API creates sent through each fault as their real senders would
 * (retrying 503s after Retry-After, and dropped connections); then each accepted one must have
 * been applied exactly once. docs/faults.md describes the faults and the checks.
 */
describe('faults: every service rides out kills, broker and database restarts, and pauses', () => {
  let stack: FaultStack | undefined;
  let run: ChaosRun;

  beforeAll(async () => {
    stack = await startFaultStack({
      services: ['identity-broker', 'orchestrator', 'ingress'],
      retryForMs: 60_000,
    });
  }, 90_000);

  afterAll(async () => {
    await stack?.close();
  }, 60_000);

  it('keeps accepting through each fault, with every service ready again after it and none exiting', async () => {
    run = await runChaos(stack!, {
      baseline: { count: 30, concurrency: 3, paceMs: 50 },
      perFault: { count: 30, concurrency: 3, paceMs: 50, leadMs: 300, readyTimeoutMs: 60_000 },
      // Paused past the RPC timeout (5 s) the orchestrator asks identity-broker with, and ingress asks the orchestrator with.
      timings: {
        natsDownMs: 3_000,
        postgresDownMs: 2_000,
        paused: { 'identity-broker': 7_000, orchestrator: 7_000 },
      },
      // Messages a SIGKILLed orchestrator held come back after JetStream's ack wait (30 s).
      settleMs: 60_000,
      bounds: defaultWatchdogRules,
    });
    process.stdout.write(`${chaosTable(run.verdict)}\n`);
    expect(run.verdict.crashes).toEqual([]);
    const faults = run.verdict.phases.slice(2);
    expect(run.verdict.phases.slice(0, 2).map((p) => p.phase)).toEqual(['warm-up', 'no fault (baseline)']);
    expect(faults.map((p) => p.phase)).toEqual([
      'SIGKILL identity-broker',
      'SIGKILL orchestrator',
      'SIGKILL ingress',
      'restart NATS',
      'restart Postgres (immediate)',
      'SIGSTOP identity-broker',
      'SIGSTOP orchestrator',
    ]);
    for (const phase of faults) {
      expect(phase.recoveryMs).not.toBeNull();
      expect(phase.accepted).toBeGreaterThanOrEqual(30);
    }
  }, 240_000);

  it('applied every accepted request exactly once, lost none, dead-lettered none, left none past its bound', () => {
    expect(run.verdict.problems).toEqual([]);
    expect(run.verdict.total.processed).toBe(run.verdict.total.accepted);
    expect(run.verdict.total.duplicated).toBe(0);
    expect(run.verdict.total.lost).toBe(0);
    expect(run.verdict.deadLetters).toEqual([]);
    expect(run.verdict.overdue).toEqual([]);
  });
});
