import { orchestratorListWorkItems } from '@horizon/contracts';
import { forgeLogin } from '@horizon/local-forge-client';
import type { RpcClient } from '@horizon/messaging';
import { roleIn, satisfies } from '../domain/access';
import { explainRefusal, workItemOfPull, type PullAction } from '../domain/pull-requests';
import { ForgeRefusal, type LocalForge } from '../forge/local-forge';
import type { EventStream } from '../messaging/event-stream';
import type { AuditRepository } from '../persistence/audit.repository';
import type { MergeRequest, PullRequestPage, ReviewRequest } from '../shared/console-api';
import type { Viewer } from './sign-in.service';
import { NotPermitted } from './work-reader';

/** Not found on the forge, or in a repository the person has no role in: the same 404. */
export class PullRequestNotFound extends Error {}
/** The forge refused or failed: `status` and a message saying what to do, for the person. */
export class PullRequestRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface PullRef {
  owner: string;
  name: string;
  number: number;
}

/** The most work items searched for the one a pull request belongs to. */
const WORK_ITEM_SEARCH_PAGES = 5;

const AUDIT_ACTION: Record<ReviewRequest['event'], string> = {
  APPROVE: 'pull_request.approved',
  REQUEST_CHANGES: 'pull_request.changes_requested',
  COMMENT: 'pull_request.commented',
};

/**
 * Reviewing a local forge pull request in the console: the evidence (checks, reviews, the work
 * item, the diff) for anyone with a role in the repository; reviews and merges for members,
 * made on the forge as the person (their login) and recorded in the console's audit trail.
 * A request for changes is what starts the revise run: the forge publishes the review as
 * `pull_request_review` and the orchestrator routes it like GitHub's.
 */
export class PullRequests {
  constructor(
    private readonly forge: LocalForge,
    private readonly rpc: Pick<RpcClient, 'call'>,
    private readonly audit: AuditRepository,
    private readonly events: Pick<EventStream, 'position'>,
  ) {}

  async page(viewer: Viewer, ref: PullRef): Promise<PullRequestPage> {
    const repo = `${ref.owner}/${ref.name}`;
    const role = roleIn(viewer.grants, repo);
    if (!role) throw new PullRequestNotFound(repo);
    // Read before the forge, so the page follows its work item's events from here on.
    const streamSeq = await this.events.position();
    const record = await this.forgeCall('read', ref, () => this.forge.read(ref.owner, ref.name, ref.number));
    const { pull } = record;
    const workItem = await this.workItemOf({ ...ref, headRef: pull.headRef });
    return {
      repo,
      role,
      pullRequest: {
        number: pull.number,
        title: pull.title,
        body: pull.body,
        state: pull.state,
        merged: pull.merged,
        mergedBy: pull.mergedBy,
        author: pull.author,
        headRef: pull.headRef,
        baseRef: pull.baseRef,
        headSha: pull.headSha,
        approved: pull.approved,
        approvedBy: pull.approvedBy,
        changesRequestedBy: pull.changesRequestedBy,
        mergeable: pull.mergeable,
        mergeableReason: pull.mergeableReason,
        createdAt: pull.createdAt,
        updatedAt: pull.updatedAt,
      },
      checkRuns: record.checkRuns.map((c) => ({
        id: c.id,
        name: c.name,
        conclusion: c.conclusion,
        summary: c.summary,
        createdAt: c.createdAt,
      })),
      reviews: record.reviews,
      comments: record.comments,
      workItem,
      diff: record.diff,
      streamSeq,
    };
  }

  async review(
    viewer: Viewer,
    ref: PullRef,
    request: ReviewRequest,
  ): Promise<{ id: number; author: string }> {
    const login = this.mayAct(viewer, ref);
    const review = await this.forgeCall('review', ref, () =>
      this.forge.review(login, ref.owner, ref.name, ref.number, request),
    );
    await this.audit.record({
      personId: viewer.personId,
      actor: viewer.name,
      action: AUDIT_ACTION[request.event],
      target: `${ref.owner}/${ref.name}#${ref.number}`,
      detail: { login, reviewId: review.id, commitSha: review.commitSha },
    });
    return { id: review.id, author: review.author };
  }

  async merge(
    viewer: Viewer,
    ref: PullRef,
    request: MergeRequest,
  ): Promise<{ mergedBy: string | null; mergeCommitSha: string | null }> {
    const login = this.mayAct(viewer, ref);
    const merged = await this.forgeCall('merge', ref, () =>
      this.forge.merge(login, ref.owner, ref.name, ref.number, request.sha),
    );
    await this.audit.record({
      personId: viewer.personId,
      actor: viewer.name,
      action: 'pull_request.merged',
      target: `${ref.owner}/${ref.name}#${ref.number}`,
      detail: { login, mergeCommitSha: merged.mergeCommitSha, headSha: merged.headSha },
    });
    return { mergedBy: merged.mergedBy, mergeCommitSha: merged.mergeCommitSha };
  }

  /** The person's forge login, if they are a member (or admin) of the repository. */
  private mayAct(viewer: Viewer, ref: PullRef): string {
    const repo = `${ref.owner}/${ref.name}`;
    const role = roleIn(viewer.grants, repo);
    if (!role) throw new PullRequestNotFound(repo);
    if (!satisfies(role, 'member')) throw new NotPermitted(repo);
    return forgeLogin(viewer.name, 'console-user');
  }

  private async forgeCall<T>(action: PullAction, ref: PullRef, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof ForgeRefusal)) throw err;
      const answer = explainRefusal(action, err, `${ref.owner}/${ref.name}#${ref.number}`);
      if (answer.status === 404) throw new PullRequestNotFound(answer.message);
      throw new PullRequestRefused(answer.status, answer.message);
    }
  }

  private async workItemOf(pull: PullRef & { headRef: string }): Promise<PullRequestPage['workItem']> {
    let cursor: string | undefined;
    for (let page = 0; page < WORK_ITEM_SEARCH_PAGES; page++) {
      const { items, nextCursor } = await this.rpc.call(orchestratorListWorkItems, {
        repo: `${pull.owner}/${pull.name}`,
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      const item = workItemOfPull(items, pull);
      if (item) return { id: item.id, title: item.title, state: item.state };
      if (!nextCursor) return null;
      cursor = nextCursor;
    }
    return null;
  }
}
