import { Inject, Injectable } from '@nestjs/common';
import { METRICS, counter } from '@horizon/observability';
import type { FrictionEvent } from '@horizon/contracts';
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
  readonly runsFinished: Counter<string>;
  readonly runToolCalls: Counter<string>;
  readonly runFriction: Counter<string>;

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
    // Per repository: divided by runs finished, what a run costs in tool calls and friction over time.
    this.runsFinished = counter(
      registry,
      'hzn_orchestrator_runs_finished_total',
      'Runs whose end was recorded',
      ['repo', 'outcome'],
    );
    this.runToolCalls = counter(
      registry,
      'hzn_orchestrator_run_tool_calls_total',
      "Agents' tool calls, counted when their runs end",
      ['repo'],
    );
    this.runFriction = counter(
      registry,
      'hzn_orchestrator_run_friction_total',
      'Friction events of ended runs (each counted as often as it happened)',
      ['repo', 'kind'],
    );
  }

  runEnded(run: {
    repo: string;
    outcome: string;
    toolCalls: number;
    friction: readonly FrictionEvent[];
  }): void {
    this.runsFinished.inc({ repo: run.repo, outcome: run.outcome });
    this.runToolCalls.inc({ repo: run.repo }, run.toolCalls);
    for (const f of run.friction) this.runFriction.inc({ repo: run.repo, kind: f.kind }, f.count);
  }
}
