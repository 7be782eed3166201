import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { notifyDeliver, reviewCommentBody } from '@horizon/contracts';
import type { AgentReview, DataOf, runFinished, sandboxSnapshotBuilt, SourceRefs } from '@horizon/contracts';
import type { Logger } from '@horizon/observability';
import { afterReview, reviewConclusion, reviewEvent, ReviewTarget } from '../domain';
import { ReviewSettingsRepository } from '../persistence/review-settings.repository';
import { RunRepository, RunRow } from '../persistence/run.repository';
import { WorkItemRepository, WorkItemRow } from '../persistence/work-item.repository';
import { ORCHESTRATOR_CONFIG } from '../settings';
import type { OrchestratorConfig } from '../settings';
import { UnitOfWork } from './unit-of-work';
import { sourceRefsOf } from './work-item-transitions';
import { WorkItemService } from './work-item.service';

const ACTOR = 'horizon:review';
export const CHECK_RUN_NAME = 'Horizon review';

type ReviewRef = NonNullable<SourceRefs['review']>;

/** One review item per pull request head: the same head asked twice (a replay) is reviewed once. */
export function reviewItemId(repo: string, number: number, headSha: string): string {
  const hex = createHash('sha256').update(`review:${repo}#${number}@${headSha}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The agent review station (docs/review-station.md): a `review` work item for each head of a
 * reviewed pull request, run in a read-only `review` sandbox; its structured review posted as one
 * pull-request review and a `Horizon review` check run; and on Horizon's own PR, a
 * `request_changes` verdict starting a bounded number of revise runs (the review-outcome table).
 */
@Injectable()
export class ReviewStation {
  constructor(
    private readonly items: WorkItemRepository,
    private readonly runs: RunRepository,
    private readonly workItems: WorkItemService,
    private readonly settings: ReviewSettingsRepository,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {}

  async start(uow: UnitOfWork, pr: ReviewTarget): Promise<void> {
    const repo = pr.repository.fullName;
    const id = reviewItemId(repo, pr.number, pr.headSha);
    if (await this.items.get(uow.tx, id)) return;
    const horizonItem = pr.horizon
      ? pr.horizon.workItemId
        ? await this.items.get(uow.tx, pr.horizon.workItemId)
        : await this.items.findByPullRequest(uow.tx, repo, pr.number, pr.headRef)
      : null;
    const review: ReviewRef = {
      forge: pr.forge,
      repo,
      number: pr.number,
      url: pr.htmlUrl,
      author: pr.author,
      headRef: pr.headRef,
      headSha: pr.headSha,
      baseRef: pr.baseRef,
      horizonWorkItemId: horizonItem?.id ?? null,
    };
    await this.workItems.record(
      uow,
      {
        id,
        kind: 'review',
        repo,
        // Not the PR's title: the review's card must not be taken for the work it reviews.
        title: `Agent review of ${repo}#${pr.number} at ${pr.headSha.slice(0, 7)}`,
        description: `Pull request ${pr.htmlUrl} by ${pr.author}: ${pr.headRef} into ${pr.baseRef}, at ${pr.headSha}.`,
        // Ahead of new work: the pull request is open and its author waits.
        priority: 2,
        labels: ['review'],
        autoStart: true,
        // Unowned: a review must not take its PR owner's run slots (MAX_CONCURRENT_RUNS_PER_OWNER).
        ownerId: null,
        sourceRefs: { review },
      },
      [],
      { by: 'request', cause: `#${pr.number} at ${pr.headSha.slice(0, 7)} needs an agent review` },
      ACTOR,
    );
  }

  /** A default-branch snapshot brings the repository's `review:` settings. */
  async settingsDeclared(uow: UnitOfWork, snapshot: DataOf<typeof sandboxSnapshotBuilt>): Promise<void> {
    if (snapshot.review) await this.settings.save(uow.tx, snapshot.repo, snapshot.commit, snapshot.review);
  }

  /**
   * A review run succeeded: its review is posted (one review, one check run) and the outcome
   * table says whether a revise run follows. A run that produced no review fails the item.
   * Returns the cause for the item's move to done, or null when there was no review.
   */
  async finished(
    uow: UnitOfWork,
    item: WorkItemRow,
    run: RunRow,
    data: DataOf<typeof runFinished>,
    logger: Logger,
  ): Promise<string | null> {
    const ref = sourceRefsOf(item).review;
    if (!ref || !data.review) return null;
    this.post(uow, ref, run, data.review);
    const horizon = ref.horizonWorkItemId ? await this.items.get(uow.tx, ref.horizonWorkItemId) : null;
    const limit = (await this.settings.of(uow.tx, item.repo)).selfRevisions;
    const { rule, followUp } = afterReview({
      verdict: data.review.verdict,
      horizonItem: horizon && {
        state: horizon.state,
        headSha: await this.runs.latestCommitOf(uow.tx, horizon.id),
      },
      reviewedSha: ref.headSha,
      selfRevisionsDone: horizon ? await this.items.countAudit(uow.tx, horizon.id, 'self_revision') : 0,
      selfRevisionLimit: limit,
    });
    logger.info({ workItemId: item.id, rule, followUp: followUp.type }, 'agent review posted');
    // The PR was recorded on its item when it opened (DecisionExecutor links it before routing).
    const pr = horizon ? sourceRefsOf(horizon).pullRequest : undefined;
    if (horizon && pr && followUp.type === 'self_revision') {
      await this.items.recordAudit(uow.tx, {
        workItemId: horizon.id,
        runId: run.id,
        actor: ACTOR,
        action: 'self_revision',
        cause: followUp.reason,
        at: uow.now,
      });
      await this.workItems.revise(uow, horizon, pr, revisePrompt(data.review), ACTOR);
    }
    return `${data.review.verdict} posted on #${ref.number}; ${followUp.reason}`;
  }

  private post(uow: UnitOfWork, ref: ReviewRef, run: RunRow, review: AgentReview): void {
    const target = { forge: ref.forge, repo: ref.repo, runId: run.id };
    const verdict = verdictText(review);
    uow.emit(notifyDeliver, {
      channel: 'github',
      target: { ...target, number: String(ref.number) },
      dedupeKey: `review:${run.id}`,
      title: CHECK_RUN_NAME,
      body: `**${CHECK_RUN_NAME}: ${verdict}**\n\n${review.summary}`,
      review: {
        commitId: ref.headSha,
        event: reviewEvent(review.verdict, ref.author === this.config.GITHUB_BOT_LOGIN),
        comments: review.comments.map((c) => ({ path: c.path, line: c.line, body: reviewCommentBody(c) })),
      },
    });
    uow.emit(notifyDeliver, {
      channel: 'github',
      target,
      dedupeKey: `review-check:${run.id}`,
      title: CHECK_RUN_NAME,
      body: `${verdict}: ${review.summary}`,
      checkRun: { headSha: ref.headSha, results: [], conclusion: reviewConclusion(review.verdict) },
    });
  }
}

function verdictText(review: AgentReview): string {
  const n = review.comments.length;
  const label = { approve: 'approved', comment: 'comments', request_changes: 'changes requested' }[
    review.verdict
  ];
  return n > 0 ? `${label} (${n} inline comment${n === 1 ? '' : 's'})` : label;
}

/** The revise run's prompt: the review's summary, then each inline comment where it applies. */
export function revisePrompt(review: AgentReview): string {
  const comments = review.comments.map(
    (c) =>
      `- ${c.path}:${c.line}: ${c.body}${c.suggestion !== undefined ? `\n  Suggested:\n${c.suggestion.replace(/^/gm, '    ')}` : ''}`,
  );
  return [
    `The agent review requested changes:`,
    review.summary,
    ...(comments.length ? ['', ...comments] : []),
  ].join('\n');
}
