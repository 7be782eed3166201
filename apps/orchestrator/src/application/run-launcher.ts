import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  CheckFailure,
  HarnessFlavour,
  RunOutcome,
  WorkItemKind,
  runStarted,
  sandboxCancel,
  sandboxProvision,
} from '@horizon/contracts';
import type { DataOf, sandboxSnapshotBuilt } from '@horizon/contracts';
import { chooseHarness } from '../domain';
import { AgentSettingsRepository } from '../persistence/agent-settings.repository';
import { RunRepository, RunRow } from '../persistence/run.repository';
import type { WorkItemRow } from '../persistence/work-item.repository';
import { ORCHESTRATOR_CONFIG } from '../settings';
import type { OrchestratorConfig } from '../settings';
import { BudgetPolicy } from './budgets';
import { OrchestratorMetrics } from './metrics';
import { UnitOfWork } from './unit-of-work';
import { sourceRefsOf } from './work-item-transitions';

export function flavourOf(kind: WorkItemKind): HarnessFlavour {
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
    private readonly budgets: BudgetPolicy,
    private readonly agentSettings: AgentSettingsRepository,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {}

  /**
   * The repository's `agent:` settings as its newest default-branch snapshot declared them
   * (`hzn.evt.sandbox.snapshot_built`), for the harness of its next runs.
   */
  async agentSettingsDeclared(uow: UnitOfWork, snapshot: DataOf<typeof sandboxSnapshotBuilt>): Promise<void> {
    if (snapshot.agent) await this.agentSettings.save(uow.tx, snapshot.repo, snapshot.commit, snapshot.agent);
  }

  /** `checkFailure`: a fix run, whose failing check's logs sandbox-manager adds to the prompt. */
  async launch(
    uow: UnitOfWork,
    item: WorkItemRow,
    run: { branch: string; prompt: string; checkFailure?: CheckFailure; kind?: 'rebase'; baseRef?: string },
  ): Promise<RunRow> {
    const flavour = flavourOf(item.kind);
    // A review reads the PR's head against the PR's base, whatever the default branch is.
    const { review: reviewRef, fleet } = sourceRefsOf(item);
    const review = flavour === 'review' ? reviewRef : undefined;
    const deadlineAt = new Date(uow.now.getTime() + this.config.RUN_DEADLINE_MS);
    const allowance = await this.budgets.allowance(uow, item);
    const { harness } = chooseHarness(
      item.labels,
      flavour,
      await this.agentSettings.harnessOf(uow.tx, item.repo),
      this.config.RUN_HARNESS,
    );
    const row = await this.runs.create(uow.tx, {
      id: randomUUID(),
      workItemId: item.id,
      attempt: await this.runs.nextAttempt(uow.tx, item.id),
      flavour,
      harness,
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
      baseRef: review?.baseRef ?? run.baseRef ?? this.config.RUN_BASE_REF,
      branch: run.branch,
      flavour,
      harness,
      prompt: run.prompt,
      resources: {
        memoryMiB: this.config.RUN_MEMORY_MIB,
        cpuMillis: this.config.RUN_CPU_MILLIS,
        maxProcesses: this.config.RUN_MAX_PROCESSES,
      },
      deadlineAt: deadlineAt.toISOString(),
      ownerId: item.ownerId,
      ...(review ? { kind: 'review' as const } : run.kind ? { kind: run.kind } : {}),
      ...(run.checkFailure ? { checkFailure: run.checkFailure } : {}),
      ...(fleet?.verify ? { verify: fleet.verify } : {}),
      ...(allowance ? { allowance } : {}),
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
