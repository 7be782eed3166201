/** The orchestrator's domain: plain TypeScript, no framework, no I/O. */
export * from './work-item-state-machine';
export * from './dependency-graph';
export * from './automation-policy';
export * from './start-decision';
export * from './ingress-event';
export * from './routing-decision';
export * from './routing-table';
export * from './run-queue';
export * from './retry-policy';
export * from './watchdog';
export * from './plan-breakdown';
export * from './repo-mention';
export * from './schedule-ticks';
export * from './schedule-sync';
export * from './review-outcome';
