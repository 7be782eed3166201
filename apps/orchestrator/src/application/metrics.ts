import { Inject, Injectable } from '@nestjs/common';
import { METRICS, counter } from '@horizon/observability';
import type { Registry } from 'prom-client';
import type { Counter } from 'prom-client';

/** The orchestrator's own counters, on the service's registry (served at /metrics). */
@Injectable()
export class OrchestratorMetrics {
  readonly transitions: Counter<string>;
  readonly decisions: Counter<string>;
  readonly runsStarted: Counter<string>;
  readonly watchdogDecisions: Counter<string>;
  readonly conflicts: Counter<string>;

  constructor(@Inject(METRICS) registry: Registry) {
    this.transitions = counter(
      registry,
      'hzn_orchestrator_transitions_total',
      'Work-item transitions committed',
      ['from', 'to'],
    );
    this.decisions = counter(registry, 'hzn_orchestrator_decisions_total', 'Routing decisions applied', [
      'decision',
      'rule',
    ]);
    this.runsStarted = counter(
      registry,
      'hzn_orchestrator_runs_started_total',
      'Runs started (sandbox requested)',
      ['flavour'],
    );
    this.watchdogDecisions = counter(
      registry,
      'hzn_orchestrator_watchdog_decisions_total',
      'Overdue items the watchdog acted on',
      ['state', 'action'],
    );
    this.conflicts = counter(
      registry,
      'hzn_orchestrator_version_conflicts_total',
      'Transactions retried because a work item changed under them',
    );
  }
}
