import { Inject, Injectable } from '@nestjs/common';
import { forgeOpenPullRequest, withFleetSection } from '@horizon/contracts';
import type {
  DataOf,
  WorkItemState,
  runFinished,
  runProgress,
  sandboxArtifactRecorded,
  sandboxStateChanged,
} from '@horizon/contracts';
import type { Logger } from '@horizon/observability';
import { RetryPolicy, defaultRetryConfig, fleetSection } from '../domain';
import { RunFrictionRepository } from '../persistence/run-friction.repository';
import { RunRepository, RunRow } from '../persistence/run.repository';
import { WorkItemRepository, WorkItemRow } from '../persistence/work-item.repository';
import { ORCHESTRATOR_CONFIG } from '../settings';
import type { OrchestratorConfig } from '../settings';
import { BudgetWaits } from './budgets';
import { PlanRecorder } from './plan-recorder';
import { ReviewStation } from './review-station';
import { UnitOfWork } from './unit-of-work';
import { WorkItemTransitions, sourceRefsOf } from './work-item-transitions';

const SANDBOX_ACTOR = 'system:sandbox';

/**
 * Applies what sandbox-manager reports about runs to their work items. Reports arrive out of
 * order and late (after a cancel or a time-out): a run that already has an outcome changes
 * nothing, and a report that skips a step (finished before any progress) walks the item through it.
 */
@Injectable()
export class RunLifecycleService {
  readonly retryPolicy: RetryPolicy;
  private readonly baseRef: string;
  private readonly forge: OrchestratorConfig['FORGE_KIND'];

  constructor(
    private readonly items: WorkItemRepository,
    private readonly runs: RunRepository,
    private readonly friction: RunFrictionRepository,
    private readonly transitions: WorkItemTransitions,
    private readonly plans: PlanRecorder,
    private readonly reviews: ReviewStation,
    private readonly waits: BudgetWaits,
    @Inject(ORCHESTRATOR_CONFIG) config: OrchestratorConfig,
  ) {
    this.retryPolicy = new RetryPolicy({
      ...defaultRetryConfig,
      maxAttempts: config.RETRY_MAX_ATTEMPTS,
      baseDelayMs: config.RETRY_BASE_DELAY_MS,
    });
    this.baseRef = config.RUN_BASE_REF;
    this.forge = config.FORGE_KIND;
  }

  async progress(uow: UnitOfWork, data: DataOf<typeof runProgress>, logger: Logger): Promise<void> {
    const current = await this.currentRun(uow, data.runId, logger);
    if (!current) return;
    const { run, item } = current;
    if (data.phase === 'harness') {
      await this.runs.markStarted(uow.tx, run.id, uow.now);
      if (item.state === 'provisioning') {
        await this.walk(uow, item, 'running', run, 'the sandbox is ready and the harness started');
      }
    } else if (data.phase === 'verification') {
      if (item.state === 'provisioning' || item.state === 'running') {
        await this.walk(uow, item, 'verifying', run, `verification started: ${data.summary}`);
      }
    }
  }

  async finished(uow: UnitOfWork, data: DataOf<typeof runFinished>, logger: Logger): Promise<void> {
    const current = await this.currentRun(uow, data.runId, logger);
    if (!current) return;
    const run = current.run;
    const item = await this.waits.runEnded(uow, current.item, run.id, `ended ${data.outcome}`);
    await this.runs.finish(uow.tx, run.id, {
      outcome: data.outcome,
      at: uow.now,
      failureReason: data.reason,
      usage: data.usage,
      commitSha: data.commitSha,
      ...(data.toolCalls !== undefined ? { toolCalls: data.toolCalls } : {}),
      report: {
        durationMs: data.durationMs,
        verification: data.verification,
        // Older publishers sent the notes only; the events are kept in RunFriction.
        ...(data.friction ? {} : { frictionNotes: data.frictionNotes }),
        ...(data.review ? { review: data.review } : {}),
        ...(data.browser ? { browser: data.browser } : {}),
      },
    });
    await this.friction.record(uow.tx, { id: run.id, repo: item.repo }, uow.now, data.friction ?? []);
    uow.runsEnded.push({
      repo: item.repo,
      outcome: data.outcome,
      toolCalls: data.toolCalls ?? 0,
      friction: data.friction ?? [],
    });
    const reason = data.reason ?? data.outcome;
    if (item.state === 'revising') {
      await this.transitions.move(
        uow,
        item,
        'in_review',
        `revise run ended ${data.outcome}${data.reason ? `: ${data.reason}` : ''}`,
        {
          actor: SANDBOX_ACTOR,
          runId: run.id,
        },
      );
      return;
    }
    switch (data.outcome) {
      case 'succeeded': {
        if (item.kind === 'plan' || item.kind === 'retro') return this.planned(uow, item, run, data.summary);
        if (item.kind === 'review') return this.reviewed(uow, item, run, data, logger);
        const reviewable = data.branch !== null;
        const to: WorkItemState = reviewable ? 'in_review' : 'done';
        const cause = reviewable
          ? `pull request opened from ${data.branch}`
          : 'the run finished with nothing to review';
        await this.walk(uow, item, to, run, cause, data.branch ? { branch: data.branch } : {});
        if (reviewable) this.openPullRequest(uow, item, run, data);
        return;
      }
      case 'failed':
        await this.walk(uow, item, 'failed', run, `agent failure is final: ${reason}`);
        return;
      case 'timed_out':
        await this.walk(uow, item, 'timed_out', run, `the run timed out: ${reason}`);
        return;
      case 'cancelled':
        await this.walk(uow, item, 'cancelled', run, `the run was cancelled: ${reason}`);
        return;
      case 'infra_error':
        await this.infraFailure(uow, item, run, reason);
        return;
      case 'not_applicable':
        await this.walk(uow, item, 'done', run, `not applicable: ${reason}`);
        return;
    }
  }

  async sandboxChanged(
    uow: UnitOfWork,
    data: DataOf<typeof sandboxStateChanged>,
    logger: Logger,
  ): Promise<void> {
    if (data.state !== 'failed' || !data.runId) return;
    const current = await this.currentRun(uow, data.runId, logger);
    if (!current) return;
    const reason = `sandbox failed: ${data.reason ?? 'no reason given'}`;
    current.item = await this.waits.runEnded(uow, current.item, current.run.id, 'lost its sandbox');
    await this.runs.finish(uow.tx, current.run.id, {
      outcome: 'infra_error',
      at: uow.now,
      failureReason: reason,
    });
    if (current.item.state === 'revising') {
      await this.transitions.move(uow, current.item, 'in_review', `revise run could not start: ${reason}`, {
        actor: SANDBOX_ACTOR,
        runId: current.run.id,
      });
      return;
    }
    await this.infraFailure(uow, current.item, current.run, reason);
  }

  /**
   * A file the run left (transcript, logs), kept with the run whatever its state: artifacts of a
   * run that was cancelled or timed out meanwhile matter most. One of a run never recorded is dropped.
   */
  async artifactRecorded(
    uow: UnitOfWork,
    data: DataOf<typeof sandboxArtifactRecorded>,
    logger: Logger,
  ): Promise<void> {
    if (!(await this.runs.get(uow.tx, data.runId))) {
      logger.warn({ runId: data.runId, artifactId: data.artifactId }, 'artifact of an unknown run ignored');
      return;
    }
    const { artifactId, sandboxId: _sandbox, ...artifact } = data;
    await this.runs.recordArtifact(uow.tx, { id: artifactId, ...artifact });
  }

  /**
   * A plan run's answer becomes its child items (or, asked for by a console draft, a proposal sent
   * back to it), or fails the plan item saying why it could not.
   */
  private async reviewed(
    uow: UnitOfWork,
    item: WorkItemRow,
    run: RunRow,
    data: DataOf<typeof runFinished>,
    logger: Logger,
  ): Promise<void> {
    const posted = await this.reviews.finished(uow, item, run, data, logger);
    if (posted) return this.walk(uow, item, 'done', run, posted);
    await this.walk(uow, item, 'failed', run, 'the review run gave no structured review');
  }

  private async planned(
    uow: UnitOfWork,
    item: WorkItemRow,
    run: RunRow,
    answer: string | null | undefined,
  ): Promise<void> {
    const recording = await this.plans.record(uow, item, run.id, answer);
    if (recording.ok) await this.walk(uow, item, 'done', run, recording.summary);
    else await this.walk(uow, item, 'failed', run, recording.reason);
  }

  /** Another attempt after back-off (→ queued), or → failed when the retry policy has none left. */
  async infraFailure(
    uow: UnitOfWork,
    item: WorkItemRow,
    run: RunRow,
    reason: string,
    actor = SANDBOX_ACTOR,
  ): Promise<void> {
    const decision = this.retryPolicy.afterFailure(
      { failureClass: 'infra', attempt: run.attempt, reason },
      uow.now,
    );
    if (decision.retry) {
      await this.transitions.move(uow, item, 'queued', decision.reason, {
        actor,
        runId: run.id,
        changes: { notBefore: decision.notBefore },
      });
    } else {
      await this.transitions.move(uow, item, 'failed', decision.reason, { actor, runId: run.id });
    }
  }

  /**
   * Asks the notifier to open the PR for an implement run's pushed branch, in this same unit of
   * work, so the command exists exactly when `in_review` does. A revise run's PR already exists.
   */
  private openPullRequest(
    uow: UnitOfWork,
    item: WorkItemRow,
    run: RunRow,
    data: DataOf<typeof runFinished>,
  ): void {
    if (item.kind !== 'implement' && item.kind !== 'fleet_child') return;
    if (!data.branch || !data.commitSha) return;
    const { trackerIssue: issue, fleet } = sourceRefsOf(item);
    const summary = data.summary ?? '';
    uow.emit(forgeOpenPullRequest, {
      workItemId: item.id,
      runId: run.id,
      repo: item.repo,
      forge: this.forge,
      head: data.branch,
      base: this.baseRef,
      commitSha: data.commitSha,
      title: item.title || data.branch,
      // A fleet child names its fleet from the start; its siblings' PRs are linked as they open.
      body: fleet ? withFleetSection(summary, fleetSection(fleet, item.repo, [])) : summary,
      verification: data.verification,
      ...(data.browser ? { browser: data.browser } : {}),
      ownerId: item.ownerId,
      ...(issue ? { trackerIssue: { id: issue.id, identifier: issue.identifier, url: issue.url } } : {}),
    });
  }

  /** The run and its item, when the run is the item's current one and has not ended. */
  private async currentRun(
    uow: UnitOfWork,
    runId: string,
    logger: Logger,
  ): Promise<{ run: RunRow; item: WorkItemRow } | null> {
    const run = await this.runs.get(uow.tx, runId);
    if (!run) {
      logger.warn({ runId }, 'report about an unknown run ignored');
      return null;
    }
    if (run.outcome !== null) {
      logger.info({ runId, outcome: run.outcome }, 'report about a run that already ended ignored');
      return null;
    }
    const item = await this.items.get(uow.tx, run.workItemId);
    return item ? { run, item } : null;
  }

  /**
   * Moves the item to `to`. A report may skip a step (finished while the item is still
   * `provisioning`: it goes through `running`) or come after the item moved on (audited, no change).
   */
  private async walk(
    uow: UnitOfWork,
    item: WorkItemRow,
    to: WorkItemState,
    run: RunRow,
    cause: string,
    changes: { branch?: string } = {},
  ): Promise<void> {
    if (item.state === to) return;
    let current = item;
    if (
      !this.transitions.can(current, to) &&
      current.state === 'provisioning' &&
      this.transitions.machine.canTransition('running', to)
    ) {
      current = await this.transitions.move(
        uow,
        current,
        'running',
        'the run reported before its harness start',
        {
          actor: SANDBOX_ACTOR,
          runId: run.id,
        },
      );
    }
    if (!this.transitions.can(current, to)) {
      await this.items.recordAudit(uow.tx, {
        workItemId: item.id,
        runId: run.id,
        actor: SANDBOX_ACTOR,
        action: 'ignored',
        cause: `report (${cause}) does not apply in state ${current.state}`,
        at: uow.now,
      });
      return;
    }
    await this.transitions.move(uow, current, to, cause, { actor: SANDBOX_ACTOR, runId: run.id, changes });
  }
}
