import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  RunOutcome,
  SandboxFlavour,
  WorkItemKind,
  runStarted,
  sandboxCancel,
  sandboxProvision,
} from '@horizon/contracts';
import { RunRepository, RunRow } from '../persistence/run.repository';
import type { WorkItemRow } from '../persistence/work-item.repository';
import { ORCHESTRATOR_CONFIG } from '../settings';
import type { OrchestratorConfig } from '../settings';
import { OrchestratorMetrics } from './metrics';
import { UnitOfWork } from './unit-of-work';
import { sourceRefsOf } from './work-item-transitions';

export function flavourOf(kind: WorkItemKind): SandboxFlavour {
  if (kind === 'review') return 'review';
  return kind === 'plan' || kind === 'retro' ? 'plan' : 'implement';
}

/** `horizon/<first 8 of the id>-<slug of the title>`: readable, unique, and under the routing prefix. */
export function branchFor(prefix: string, item: Pick<WorkItemRow, 'id' | 'title'>): string {
  const slug = item.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `${prefix}${item.id.slice(0, 8)}${slug ? `-${slug}` : ''}`;
}

export function promptFor(item: Pick<WorkItemRow, 'kind' | 'title' | 'description'>): string {
  // A review's prompt names the pull request; the runner adds the diff and the repository's rules.
  if (item.kind === 'review') return item.description;
  const body = item.description.trim() ? `\n\n${item.description.trim()}` : '';
  return item.kind === 'plan' ? `Plan this work into issues: ${item.title}${body}` : `${item.title}${body}`;
}

/** Starts runs (a Run row, `runStarted`, the provision command) and stops them (`sandboxCancel`). */
@Injectable()
export class RunLauncher {
  constructor(
    private readonly runs: RunRepository,
    private readonly metrics: OrchestratorMetrics,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {}

  async launch(uow: UnitOfWork, item: WorkItemRow, run: { branch: string; prompt: string }): Promise<RunRow> {
    const flavour = flavourOf(item.kind);
    // A review reads the PR's head against the PR's base, whatever the default branch is.
    const review = flavour === 'review' ? sourceRefsOf(item).review : undefined;
    const deadlineAt = new Date(uow.now.getTime() + this.config.RUN_DEADLINE_MS);
    const row = await this.runs.create(uow.tx, {
      id: randomUUID(),
      workItemId: item.id,
      attempt: await this.runs.nextAttempt(uow.tx, item.id),
      flavour,
      harness: this.config.RUN_HARNESS,
      model: this.config.RUN_MODEL,
      branch: run.branch,
      sandboxId: randomUUID(),
      queuedAt: uow.now,
      deadlineAt,
    });
    uow.emit(runStarted, {
      runId: row.id,
      workItemId: item.id,
      attempt: row.attempt,
      flavour,
      harness: row.harness,
      model: row.model,
      deadlineAt: deadlineAt.toISOString(),
    });
    uow.emit(sandboxProvision, {
      sandboxId: row.sandboxId as string,
      runId: row.id,
      workItemId: item.id,
      repo: item.repo,
      baseRef: review?.baseRef ?? this.config.RUN_BASE_REF,
      branch: run.branch,
      flavour,
      prompt: run.prompt,
      resources: {
        memoryMiB: this.config.RUN_MEMORY_MIB,
        cpuMillis: this.config.RUN_CPU_MILLIS,
        maxProcesses: this.config.RUN_MAX_PROCESSES,
      },
      deadlineAt: deadlineAt.toISOString(),
      ownerId: item.ownerId,
      ...(review ? { kind: 'review' as const } : {}),
    });
    this.metrics.runsStarted.inc({ flavour });
    return row;
  }

  /**
   * Ends the item's run in flight, if any, with `outcome`, and tells sandbox-manager to stop
   * and destroy its sandbox. Returns the run it ended.
   */
  async stopActiveRun(
    uow: UnitOfWork,
    item: WorkItemRow,
    outcome: RunOutcome,
    reason: string,
  ): Promise<RunRow | null> {
    const run = await this.runs.latestOf(uow.tx, item.id);
    if (!run || run.outcome !== null) return null;
    await this.runs.finish(uow.tx, run.id, { outcome, at: uow.now, failureReason: reason });
    if (run.sandboxId) uow.emit(sandboxCancel, { sandboxId: run.sandboxId, runId: run.id, reason });
    return run;
  }
}
