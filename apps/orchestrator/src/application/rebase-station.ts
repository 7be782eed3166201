import { Inject, Injectable } from '@nestjs/common';
import { forgeFindMergeConflicts, notifyDeliver } from '@horizon/contracts';
import type { DataOf, githubPullRequest } from '@horizon/contracts';
import type { PullRequestTarget, RoutingDecision } from '../domain';
import { RunRepository } from '../persistence/run.repository';
import { WorkItemRepository } from '../persistence/work-item.repository';
import { ORCHESTRATOR_CONFIG } from '../settings';
import type { OrchestratorConfig } from '../settings';
import { RunLauncher } from './run-launcher';
import { UnitOfWork } from './unit-of-work';
import { pullRequestRef, sourceRefsOf, WorkItemTransitions } from './work-item-transitions';
import { WorkItemService } from './work-item.service';

const ACTOR = 'horizon:rebase';
/** Audit action on the PR's work item, with the head it tried: one rebase run per head. */
const REBASE = 'rebase';

type RebaseDecision = Extract<RoutingDecision, { type: 'start_rebase_run' }>;

/**
 * The merge-conflict station (docs/stations.md): a merge that left a Horizon PR conflicting with
 * its base starts a `rebase` run on its branch (in_review → revising, like a revision). The
 * runner merges the base in, the agent resolves the conflicts, the checks run and the merge is
 * pushed (a fast-forward of the branch: nothing is forced). A conflict the agent cannot resolve
 * fails the run, which the PR is told with the files; the PR then waits for its owner.
 */
@Injectable()
export class RebaseStation {
  constructor(
    private readonly items: WorkItemRepository,
    private readonly workItems: WorkItemService,
    private readonly transitions: WorkItemTransitions,
    private readonly launcher: RunLauncher,
    private readonly runs: RunRepository,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {}

  /**
   * A Horizon PR merged on GitHub, which sends no event when another PR stops merging cleanly:
   * the notifier is asked to find those (with a token minted for the merged item's latest run)
   * and answers each with the `merge_conflict` event that starts `start()`. The local forge
   * reports them itself.
   */
  async checkRivalsAfterMerge(
    uow: UnitOfWork,
    merged: DataOf<typeof githubPullRequest>,
    pr: PullRequestTarget,
  ): Promise<void> {
    if (pr.forge !== 'github') return;
    const item = await this.items.ofPullRequest(uow.tx, pr);
    const run = item && (await this.runs.latestOf(uow.tx, item.id));
    if (!item || !run) return;
    uow.emit(forgeFindMergeConflicts, {
      workItemId: item.id,
      runId: run.id,
      merged,
      branchPrefix: this.config.HORIZON_BRANCH_PREFIX,
    });
  }

  async start(uow: UnitOfWork, d: RebaseDecision): Promise<void> {
    const pr = d.pullRequest;
    const item = await this.items.ofPullRequest(uow.tx, pr);
    const what = `#${pr.number} conflicts with ${d.baseRef} after #${d.mergedNumber} merged (${d.reason})`;
    if (!item) return this.workItems.ignore(uow, null, ACTOR, `${what}: no work item for it`);
    if (item.state !== 'in_review')
      return this.workItems.ignore(uow, item, ACTOR, `${what}, but the item is ${item.state}`);
    if (await this.items.hasAuditWith(uow.tx, item.id, REBASE, 'headSha', d.headSha))
      return this.workItems.ignore(
        uow,
        item,
        ACTOR,
        `${what}: a rebase of ${d.headSha.slice(0, 7)} was tried already`,
      );
    const ref = sourceRefsOf(item).pullRequest ?? pullRequestRef(pr);
    const run = await this.launcher.launch(uow, item, {
      branch: ref.branch,
      baseRef: d.baseRef,
      kind: 'rebase',
      prompt: `Bring this branch up to date: pull request #${d.mergedNumber} was merged into \`${d.baseRef}\` and this pull request no longer merges cleanly (${d.reason}).`,
    });
    await this.items.recordAudit(uow.tx, {
      workItemId: item.id,
      runId: run.id,
      actor: ACTOR,
      action: REBASE,
      cause: what,
      at: uow.now,
      data: { headSha: d.headSha, mergedNumber: d.mergedNumber },
    });
    await this.transitions.move(uow, item, 'revising', what, {
      actor: ACTOR,
      runId: run.id,
      changes: { sourceRefs: { ...sourceRefsOf(item), pullRequest: ref }, branch: ref.branch },
    });
    uow.emit(notifyDeliver, {
      channel: 'github',
      target: { forge: pr.forge, repo: pr.repository.fullName, number: String(pr.number), runId: run.id },
      dedupeKey: `rebase:${run.id}`,
      title: 'Horizon is bringing this branch up to date',
      body: [
        `#${d.mergedNumber} was merged into \`${d.baseRef}\` and this pull request no longer merges cleanly (${d.reason}).`,
        `A rebase run merges \`${d.baseRef}\` into \`${ref.branch}\`, resolves the conflicts, runs the checks and pushes the merge (no force push). A conflict it cannot resolve is reported here with its files.`,
      ].join('\n\n'),
    });
  }
}
