import { Injectable } from '@nestjs/common';
import { ForgeError, notFound } from '../domain/errors';
import { ForgeEvent, ForgeEvents } from '../domain/events';
import { commentableLines, unresolvedComment } from '@horizon/integrations-github';
import { BareRepositories } from '../git/bare-repos';
import { CommentRepository } from '../persistence/comment.repository';
import { ReviewRepository } from '../persistence/review.repository';
import { ForgeTransactions } from '../persistence/transactions';
import { PullRequestFinder } from './pull-request-finder';

/** The conversation on a pull request: comments (conversation or line) and reviews. */
@Injectable()
export class ReviewService {
  constructor(
    private readonly finder: PullRequestFinder,
    private readonly reviews: ReviewRepository,
    private readonly comments: CommentRepository,
    private readonly transactions: ForgeTransactions,
    private readonly events: ForgeEvents,
    private readonly git: BareRepositories,
  ) {}

  async comment(
    owner: string,
    name: string,
    number: number,
    input: { body: string; path?: string; line?: number | null },
    user: string,
  ) {
    const { repo, pr } = await this.finder.pull(owner, name, number);
    return this.transactions.run(async (tx) => {
      const comment = await this.comments.create(tx, {
        pullRequestId: pr.id,
        author: user,
        body: input.body,
        path: input.path ?? null,
        line: input.line ?? null,
      });
      const event = input.path
        ? this.events.reviewComment(repo, pr, {
            id: comment.id,
            body: comment.body,
            path: input.path,
            line: comment.line,
            author: user,
          })
        : this.events.issueComment(repo, pr, { id: comment.id, body: comment.body, author: user });
      return { value: comment, events: [event] };
    });
  }

  async commentsOf(owner: string, name: string, number: number) {
    const { pr } = await this.finder.pull(owner, name, number);
    return this.comments.ofPull(pr.id);
  }

  async review(
    owner: string,
    name: string,
    number: number,
    input: {
      event: 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT';
      body?: string | null;
      /** The commit reviewed; the head when absent. Comments' lines are resolved in its diff. */
      commit_id?: string;
      comments?: { path: string; line?: number | null; body: string }[];
    },
    user: string,
  ) {
    const { repo, pr } = await this.finder.pull(owner, name, number);
    const commitSha = input.commit_id ?? pr.headSha;
    if (input.comments?.length) await this.resolveComments(owner, name, pr, commitSha, input.comments);
    if (pr.state !== 'open') throw new ForgeError(422, `#${number} is ${pr.merged ? 'merged' : 'closed'}`);
    const state = (
      { APPROVE: 'approved', REQUEST_CHANGES: 'changes_requested', COMMENT: 'commented' } as const
    )[input.event];
    if (state !== 'commented' && user === pr.author)
      throw new ForgeError(
        422,
        `${user} cannot ${state === 'approved' ? 'approve' : 'request changes on'} their own pull request`,
      );
    if (state !== 'approved' && !input.body && !input.comments?.length)
      throw new ForgeError(422, 'a review that requests changes or comments needs a body or comments');
    return this.transactions.run(async (tx) => {
      const review = await this.reviews.create(tx, {
        pullRequestId: pr.id,
        author: user,
        state,
        body: input.body ?? null,
        commitSha,
      });
      const events: ForgeEvent[] = [];
      for (const c of input.comments ?? []) {
        const row = await this.comments.create(tx, {
          pullRequestId: pr.id,
          reviewId: review.id,
          author: user,
          body: c.body,
          path: c.path,
          line: c.line ?? null,
        });
        events.push(
          this.events.reviewComment(repo, pr, {
            id: row.id,
            body: row.body,
            path: c.path,
            line: row.line,
            author: user,
          }),
        );
      }
      events.push(this.events.review(repo, pr, { id: review.id, state, body: review.body, author: user }));
      return { value: review, events };
    });
  }

  /**
   * GitHub refuses (422) a review whose comment sits outside the reviewed commit's diff, or names
   * a commit the repository does not have; so does the local forge, with GitHub's words.
   */
  private async resolveComments(
    owner: string,
    name: string,
    pr: { baseRef: string; mergedBaseSha: string | null },
    commitSha: string,
    comments: readonly { path: string; line?: number | null }[],
  ): Promise<void> {
    const base = pr.mergedBaseSha ?? (await this.git.branchSha(owner, name, pr.baseRef));
    if (!base) throw new ForgeError(422, `base branch ${pr.baseRef} no longer exists`);
    const diff = await this.git.diff(owner, name, base, commitSha).catch(() => {
      throw new ForgeError(422, `No commit found for SHA: ${commitSha}`);
    });
    const lines = commentableLines(diff);
    for (const comment of comments) {
      const reason = unresolvedComment(lines, comment);
      if (reason) throw new ForgeError(422, reason);
    }
  }

  async reviewsOf(owner: string, name: string, number: number) {
    const { pr } = await this.finder.pull(owner, name, number);
    return this.reviews.ofPull(pr.id);
  }

  async reviewComments(owner: string, name: string, number: number, reviewId: number) {
    const { pr } = await this.finder.pull(owner, name, number);
    if (!(await this.reviews.find(pr.id, reviewId))) throw notFound(`review ${reviewId} on #${number}`);
    return this.comments.ofReview(reviewId);
  }
}
