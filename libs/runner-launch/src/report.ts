import type { RunOutcome, RunReport } from '@horizon/contracts';

/** A report for a run that never got going (a bad spec, a runner that died): nothing done. */
export function emptyReport(outcome: RunOutcome, reason: string): RunReport {
  return {
    type: 'report',
    outcome,
    reason,
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    durationMs: 0,
    branch: null,
    commitSha: null,
    verification: [],
    browser: [],
    friction: [],
    toolCalls: 0,
    summary: null,
    timings: { harnessMs: 0, verificationMs: 0, runnerMs: 0 },
  };
}
