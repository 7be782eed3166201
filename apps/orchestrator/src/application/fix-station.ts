import { Inject, Injectable } from '@nestjs/common';
import { notifyDeliver } from '@horizon/contracts';
import type { CheckFailure } from '@horizon/contracts';
import { afterCheckFailure, FailingCheck, PullRequestTarget, RoutingDecision } from '../domain';
import { RunRepository } from '../persistence/run.repository';
import { WorkItemRepository, WorkItemRow } from '../persistence/work-item.repository';
import { ORCHESTRATOR_CONFIG } from '../settings';
import type { OrchestratorConfig } from '../settings';
import { RunLauncher } from './run-launcher';
import { UnitOfWork } from './unit-of-work';
import { pullRequestRef, sourceRefsOf, WorkItemTransitions } from './work-item-transitions';
import { WorkItemService } from './work-item.service';

const ACTOR = 'horizon:ci';
/** Audit actions on the PR's work item: what the rounds and the off switch are counted from. */
const FIX_ROUND = 'ci_fix';
const ROUNDS_SPENT = 'ci_fix_exhausted';
const STOPPED = 'ci_fix_stopped';
const RESUMED = 'ci_fix_resumed';

type FixDecision = Extract<RoutingDecision, { type: 'start_fix_run' | 'stop_autofix' | 'resume_autofix' }>;

/**
 * The CI station (docs/stations.md): a failing check on a Horizon PR starts a fix run on its
 * branch (in_review → revising, like a revision) whose prompt names the check; sandbox-manager
 * adds the failure's logs. Bounded by `CI_FIX_ROUNDS`, stopped by `@horizon stop`, never after
 * the PR closed; each round and the end of the rounds are said on the PR.
 */
@Injectable()
export class FixStation {
  constructor(
    private readonly items: WorkItemRepository,
    private readonly runs: RunRepository,
    private readonly workItems: WorkItemService,
    private readonly transitions: WorkItemTransitions,
    private readonly launcher: RunLauncher,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {}

  async execute(uow: UnitOfWork, decision: FixDecision): Promise<void> {
    const pr = decision.pullRequest;
    const item = await this.items.ofPullRequest(uow.tx, pr);
    if (!item)
      return this.workItems.ignore(
        uow,
        null,
        ACTOR,
        `no work item for ${pr.repository.fullName}#${pr.number}`,
      );
    if (decision.type !== 'start_fix_run')
      return decision.type === 'stop_autofix'
        ? this.stop(uow, item, pr, decision.requestedBy)
        : this.resume(uow, item, pr, decision.requestedBy);
    return this.checkFailed(uow, item, pr, decision.check);
  }

  private async checkFailed(
    uow: UnitOfWork,
    item: WorkItemRow,
    pr: PullRequestTarget,
    check: FailingCheck,
  ): Promise<void> {
    const limit = this.config.CI_FIX_ROUNDS;
    const { rule, outcome } = afterCheckFailure({
      itemState: item.state,
      stopped: await this.stopped(uow, item),
      roundsDone: await this.items.countAudit(uow.tx, item.id, FIX_ROUND),
      roundLimit: limit,
      exhaustionReported: (await this.items.countAudit(uow.tx, item.id, ROUNDS_SPENT)) > 0,
      checkSha: check.headSha,
      branchSha: await this.runs.latestCommitOf(uow.tx, item.id),
    });
    const what = `check "${check.name}" ${check.conclusion} on ${check.headSha.slice(0, 7)}`;
    if (outcome.type === 'ignore')
      return this.workItems.ignore(uow, item, ACTOR, `${what}: ${outcome.reason} (${rule})`);
    const ref = sourceRefsOf(item).pullRequest ?? pullRequestRef(pr);
    if (outcome.type === 'report_exhausted') {
      await this.audit(uow, item, null, ROUNDS_SPENT, `${what}: ${outcome.reason}`, { check });
      const latest = await this.runs.latestOf(uow.tx, item.id);
      return this.comment(
        uow,
        pr,
        latest?.id ?? null,
        `ci-exhausted:${item.id}`,
        'Horizon stopped fixing CI',
        [
          `The check **${check.name}** failed again on \`${check.headSha.slice(0, 7)}\` after ${limit} fix round${limit === 1 ? '' : 's'} (the most Horizon runs on one pull request).`,
          'Horizon will not push another fix: this pull request needs a person.',
        ],
      );
    }
    const checkFailure: CheckFailure = {
      forge: pr.forge,
      repo: item.repo,
      kind: check.kind,
      id: check.id,
      name: check.name,
      conclusion: check.conclusion,
      headSha: check.headSha,
    };
    const run = await this.launcher.launch(uow, item, {
      branch: ref.branch,
      prompt: fixPrompt(check, outcome.round, limit),
      checkFailure,
    });
    await this.audit(uow, item, run.id, FIX_ROUND, `${what}: ${outcome.reason}`, { check });
    await this.transitions.move(uow, item, 'revising', `${what}: ${outcome.reason}`, {
      actor: ACTOR,
      runId: run.id,
      changes: { sourceRefs: { ...sourceRefsOf(item), pullRequest: ref }, branch: ref.branch },
    });
    await this.comment(uow, pr, run.id, `ci-fix:${run.id}`, 'Horizon is fixing CI', [
      `The check **${check.name}** concluded \`${check.conclusion}\` on \`${check.headSha.slice(0, 7)}\`: fix round ${outcome.round} of ${limit} starts on \`${ref.branch}\`, with the check's logs.`,
      `Say \`${this.config.GITHUB_MENTION_HANDLE} stop\` here to turn this off for this pull request.`,
    ]);
  }

  /** Stopped more often than resumed: each stop and resume is one audit entry. */
  private async stopped(uow: UnitOfWork, item: WorkItemRow): Promise<boolean> {
    const stops = await this.items.countAudit(uow.tx, item.id, STOPPED);
    return stops > (await this.items.countAudit(uow.tx, item.id, RESUMED));
  }

  private async resume(uow: UnitOfWork, item: WorkItemRow, pr: PullRequestTarget, by: string): Promise<void> {
    if (!(await this.stopped(uow, item)))
      return this.workItems.ignore(uow, item, `github:${by}`, 'CI fixes were not stopped');
    await this.audit(uow, item, null, RESUMED, `${by} turned CI fixes back on for #${pr.number}`, {});
    const latest = await this.runs.latestOf(uow.tx, item.id);
    const resumes = await this.items.countAudit(uow.tx, item.id, RESUMED);
    await this.comment(
      uow,
      pr,
      latest?.id ?? null,
      `ci-resumed:${item.id}:${resumes}`,
      'Horizon fixes CI again',
      [
        `As ${by} asked, a failing check on this pull request starts a fix run again, within the rounds left (${this.config.CI_FIX_ROUNDS} in all).`,
      ],
    );
  }

  private async stop(uow: UnitOfWork, item: WorkItemRow, pr: PullRequestTarget, by: string): Promise<void> {
    if (await this.stopped(uow, item))
      return this.workItems.ignore(uow, item, `github:${by}`, 'CI fixes were already stopped');
    await this.audit(uow, item, null, STOPPED, `${by} asked Horizon to stop fixing CI on #${pr.number}`, {});
    const latest = await this.runs.latestOf(uow.tx, item.id);
    const stops = await this.items.countAudit(uow.tx, item.id, STOPPED);
    await this.comment(
      uow,
      pr,
      latest?.id ?? null,
      `ci-stopped:${item.id}:${stops}`,
      'Horizon stopped fixing CI',
      [
        `As ${by} asked, Horizon starts no more fix runs on this pull request when a check fails.`,
        `Say \`${this.config.GITHUB_MENTION_HANDLE} resume\` here (or remove the \`horizon:no-autofix\` label) to turn them back on.`,
      ],
    );
  }

  private audit(
    uow: UnitOfWork,
    item: WorkItemRow,
    runId: string | null,
    action: string,
    cause: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    return this.items.recordAudit(uow.tx, {
      workItemId: item.id,
      runId,
      actor: ACTOR,
      action,
      cause,
      at: uow.now,
      data,
    });
  }

  private async comment(
    uow: UnitOfWork,
    pr: PullRequestTarget,
    runId: string | null,
    dedupeKey: string,
    title: string,
    lines: string[],
  ): Promise<void> {
    uow.emit(notifyDeliver, {
      channel: 'github',
      target: {
        forge: pr.forge,
        repo: pr.repository.fullName,
        number: String(pr.number),
        ...(runId ? { runId } : {}),
      },
      dedupeKey,
      title,
      body: lines.join('\n\n'),
    });
  }
}

/** The fix run's prompt; sandbox-manager appends the failure's logs (the tail, size-capped). */
export function fixPrompt(check: FailingCheck, round: number, limit: number): string {
  return [
    `CI failed on this pull request: the check "${check.name}" (${check.kind}) concluded ${check.conclusion} on ${check.headSha.slice(0, 7)}.`,
    `Find the cause in its logs below and fix it on this branch, changing only what the failure needs. This is fix round ${round} of ${limit}.`,
  ].join('\n');
}
