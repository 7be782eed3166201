import {
  BurstOptions,
  FaultResult,
  FaultTimings,
  PhaseResult,
  burst,
  standardFaults,
  underFault,
} from './faults';
import type { FaultStack } from './stack';
import { ChaosVerdict, StateBounds, settle, verify } from './verify';

export const WARM_UP = 'warm-up';
export const BASELINE = 'no fault (baseline)';

export interface ChaosPlan {
  /** The fault-free burst first: the baseline the bursts under faults are compared with. */
  baseline: BurstOptions;
  /** The burst sent through each fault (it goes on until every service is ready again). */
  perFault: BurstOptions & { leadMs: number; readyTimeoutMs: number };
  timings: FaultTimings;
  /** How long to wait, after the last fault, for every accepted request to be applied. */
  settleMs: number;
  /** The orchestrator watchdog's bound per state. */
  bounds: StateBounds;
  log?: (line: string) => void;
}

export interface ChaosRun {
  verdict: ChaosVerdict;
  /** From the end of the last fault until every accepted request was applied. */
  settledMs: number;
}

/** The fault suite: a baseline burst, then a burst through each standard fault, then the checks. */
export async function runChaos(stack: FaultStack, plan: ChaosPlan): Promise<ChaosRun> {
  const log = plan.log ?? (() => undefined);
  // Warm first (compiled code paths, pooled connections), so the baseline is not its slowest burst.
  const warmUp = await burst(stack, WARM_UP, { ...plan.baseline, count: Math.ceil(plan.baseline.count / 4) });
  const baseline = await burst(stack, BASELINE, plan.baseline);
  const results: (PhaseResult | FaultResult)[] = [
    { fault: WARM_UP, requests: warmUp.requests, burstMs: warmUp.ms },
    { fault: BASELINE, requests: baseline.requests, burstMs: baseline.ms },
  ];
  log(`baseline: ${baseline.requests.length} requests in ${baseline.ms} ms`);
  for (const fault of standardFaults(stack, plan.timings)) {
    const result = await underFault(stack, fault, plan.perFault);
    log(`${fault.name}: ${result.requests.length} requests, ready ${result.recoveryMs} ms after the repair`);
    results.push(result);
  }
  const settledMs = await settle(
    stack,
    results.flatMap((r) => r.requests),
    plan.settleMs,
  );
  log(`settled in ${settledMs} ms`);
  return { verdict: await verify(stack, results, plan.bounds), settledMs };
}
