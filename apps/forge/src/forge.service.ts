import type { PrismaClient } from '@horizon/db';
import { verificationReport } from '@horizon/integrations-github';
import type { VerificationResult } from '@horizon/integrations-github';
import { approvalOf } from './domain/approval';
import { ForgeError, notFound } from './domain/errors';
import { ForgeEvent, ForgeEvents, RepoFacts } from './domain/events';
import { emit } from './emit';
import { MergeInput, PullRequestMerger } from './pull-request-merger';
import type { BareRepositories } from './git/bare-repos';
import { isValidRepoName } from './git/bare-repos';

export type PullRow = NonNullable<Awaited<ReturnType<PrismaClient['forgePullRequest']['findFirst']>>>;
export type RepoRow = NonNullable<Awaited<ReturnType<PrismaClient['forgeRepository']['findFirst']>>>;

export interface ForgeSettings {
  requireApproval: boolean;
}

/**
 * The forge's behaviour: repositories, pull requests, comments, reviews, merges and check runs.
 * Every change commits with its normalized ingress event in the outbox (and an InboxDelivery
 * record, so `horizon delivery replay local <id>` can replay it like any webhook).
 */
export class ForgeService {
  private readonly merger: PullRequestMerger;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly repos: BareRepositories,
    private readonly events: ForgeEvents,
    settings: ForgeSettings,
  ) {
    this.merger = new PullRequestMerger(prisma, repos, events, settings, (o, n, num) => this.pull(o, n, num));
  }

  async createRepository(input: { owner: string; name: string; from?: string; defaultBranch?: string }) {
    if (!isValidRepoName(input.owner) || !isValidRepoName(input.name))
      throw new ForgeError(422, 'owner and name: letters, digits, _ . - (not ending in .git)');
    if (
      await this.prisma.forgeRepository.findUnique({
        where: { owner_name: { owner: input.owner, name: input.name } },
      })
    )
      throw new ForgeError(422, `${input.owner}/${input.name} already exists`);
    if (await this.repos.exists(input.owner, input.name))
      throw new ForgeError(
        409,
        `${this.repos.dir(input.owner, input.name)} exists on disk but not in the database`,
      );
    try {
      const defaultBranch = await this.repos.create(input.owner, input.name, {
        from: input.from,
        defaultBranch: input.defaultBranch ?? 'main',
      });
      return await this.prisma.forgeRepository.create({
        data: { owner: input.owner, name: input.name, defaultBranch },
      });
    } catch (err) {
      await this.repos.remove(input.owner, input.name);
      if ((err as Error).name === 'GitError') throw new ForgeError(422, (err as Error).message);
      throw err;
    }
  }

  listRepositories() {
    return this.prisma.forgeRepository.findMany({ orderBy: [{ owner: 'asc' }, { name: 'asc' }] });
  }

  async repository(owner: string, name: string): Promise<RepoRow> {
    const repo = await this.prisma.forgeRepository.findFirst({ where: { owner, name } });
    if (!repo) throw notFound(`repository ${owner}/${name}`);
    return repo;
  }

  async branches(owner: string, name: string) {
    await this.repository(owner, name);
    return this.repos.branches(owner, name);
  }

  async createPull(
    owner: string,
    name: string,
    input: { head: string; base?: string; title: string; body?: string | null },
    user: string,
  ) {
    const repo = await this.repository(owner, name);
    const base = input.base ?? repo.defaultBranch;
    if (input.head === base) throw new ForgeError(422, 'head and base are the same branch');
    const [headSha, baseSha] = await Promise.all([
      this.repos.branchSha(owner, name, input.head),
      this.repos.branchSha(owner, name, base),
    ]);
    if (!headSha) throw new ForgeError(422, `head branch ${input.head} does not exist`);
    if (!baseSha) throw new ForgeError(422, `base branch ${base} does not exist`);
    return this.prisma.$transaction(async (tx) => {
      const open = await tx.forgePullRequest.findFirst({
        where: { repositoryId: repo.id, headRef: input.head, baseRef: base, state: 'open' },
      });
      if (open)
        throw new ForgeError(
          422,
          `a pull request for ${input.head} into ${base} is already open: #${open.number}`,
        );
      const { nextNumber } = await tx.forgeRepository.update({
        where: { id: repo.id },
        data: { nextNumber: { increment: 1 } },
      });
      const pr = await tx.forgePullRequest.create({
        data: {
          repositoryId: repo.id,
          number: nextNumber - 1,
          title: input.title,
          body: input.body ?? null,
          headRef: input.head,
          headSha,
          baseRef: base,
          author: user,
          state: 'open',
        },
      });
      await emit(tx, [this.events.pullRequest(repo, pr, 'opened', user)]);
      return pr;
    });
  }

  async listPulls(owner: string, name: string, state: 'open' | 'closed' | 'all') {
    const repo = await this.repository(owner, name);
    return this.prisma.forgePullRequest.findMany({
      where: { repositoryId: repo.id, ...(state === 'all' ? {} : { state }) },
      orderBy: { number: 'desc' },
    });
  }

  async pull(owner: string, name: string, number: number): Promise<{ repo: RepoRow; pr: PullRow }> {
    const repo = await this.repository(owner, name);
    const pr = await this.prisma.forgePullRequest.findUnique({
      where: { repositoryId_number: { repositoryId: repo.id, number } },
    });
    if (!pr) throw notFound(`pull request ${owner}/${name}#${number}`);
    return { repo, pr };
  }

  /** The pull request with what a reviewer asks: is it approved, can it merge, and why not. */
  async pullDetail(owner: string, name: string, number: number) {
    const { pr } = await this.pull(owner, name, number);
    const reviews = await this.prisma.forgeReview.findMany({ where: { pullRequestId: pr.id } });
    const approval = approvalOf(reviews);
    if (pr.state !== 'open')
      return {
        ...pr,
        ...approval,
        mergeable: false,
        mergeableReason: `it is ${pr.merged ? 'merged' : 'closed'}`,
      };
    const check = await this.merger.mergeCheck(owner, name, pr);
    return {
      ...pr,
      ...approval,
      mergeable: check.mergeable,
      mergeableReason: check.mergeable ? null : check.reason,
    };
  }

  async updatePull(
    owner: string,
    name: string,
    number: number,
    changes: { title?: string; body?: string | null; state?: 'open' | 'closed' },
    user: string,
  ) {
    const { repo, pr } = await this.pull(owner, name, number);
    if (changes.state === 'open' && pr.state !== 'open')
      throw new ForgeError(422, 'a closed pull request cannot be reopened on the local forge');
    const closing = changes.state === 'closed' && pr.state === 'open';
    return this.prisma.$transaction(async (tx) => {
      const updated = await tx.forgePullRequest.update({
        where: { id: pr.id },
        data: {
          title: changes.title,
          body: changes.body,
          ...(closing ? { state: 'closed', closedAt: new Date() } : {}),
        },
      });
      if (closing) await emit(tx, [this.events.pullRequest(repo, updated, 'closed', user)]);
      return updated;
    });
  }

  async diff(owner: string, name: string, number: number): Promise<string> {
    const { pr } = await this.pull(owner, name, number);
    const base = pr.mergedBaseSha ?? (await this.repos.branchSha(owner, name, pr.baseRef));
    if (!base) throw new ForgeError(422, `base branch ${pr.baseRef} no longer exists`);
    return this.repos.diff(owner, name, base, pr.headSha);
  }

  async comment(
    owner: string,
    name: string,
    number: number,
    input: { body: string; path?: string; line?: number | null },
    user: string,
  ) {
    const { repo, pr } = await this.pull(owner, name, number);
    return this.prisma.$transaction(async (tx) => {
      const comment = await tx.forgeComment.create({
        data: {
          pullRequestId: pr.id,
          author: user,
          body: input.body,
          path: input.path ?? null,
          line: input.line ?? null,
        },
      });
      await emit(tx, [
        input.path
          ? this.events.reviewComment(repo, pr, {
              id: comment.id,
              body: comment.body,
              path: input.path,
              line: comment.line,
              author: user,
            })
          : this.events.issueComment(repo, pr, { id: comment.id, body: comment.body, author: user }),
      ]);
      return comment;
    });
  }

  async comments(owner: string, name: string, number: number) {
    const { pr } = await this.pull(owner, name, number);
    return this.prisma.forgeComment.findMany({ where: { pullRequestId: pr.id }, orderBy: { id: 'asc' } });
  }

  async review(
    owner: string,
    name: string,
    number: number,
    input: {
      event: 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT';
      body?: string | null;
      comments?: { path: string; line?: number | null; body: string }[];
    },
    user: string,
  ) {
    const { repo, pr } = await this.pull(owner, name, number);
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
    return this.prisma.$transaction(async (tx) => {
      const review = await tx.forgeReview.create({
        data: { pullRequestId: pr.id, author: user, state, body: input.body ?? null, commitSha: pr.headSha },
      });
      const events: ForgeEvent[] = [];
      for (const c of input.comments ?? []) {
        const row = await tx.forgeComment.create({
          data: {
            pullRequestId: pr.id,
            reviewId: review.id,
            author: user,
            body: c.body,
            path: c.path,
            line: c.line ?? null,
          },
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
      await emit(tx, events);
      return review;
    });
  }

  async reviews(owner: string, name: string, number: number) {
    const { pr } = await this.pull(owner, name, number);
    return this.prisma.forgeReview.findMany({ where: { pullRequestId: pr.id }, orderBy: { id: 'asc' } });
  }

  async reviewComments(owner: string, name: string, number: number, reviewId: number) {
    const { pr } = await this.pull(owner, name, number);
    const review = await this.prisma.forgeReview.findFirst({ where: { id: reviewId, pullRequestId: pr.id } });
    if (!review) throw notFound(`review ${reviewId} on #${number}`);
    return this.prisma.forgeComment.findMany({ where: { reviewId }, orderBy: { id: 'asc' } });
  }

  async requestReviewers(owner: string, name: string, number: number, reviewers: string[]) {
    const { pr } = await this.pull(owner, name, number);
    return this.prisma.forgePullRequest.update({
      where: { id: pr.id },
      data: { requestedReviewers: [...new Set([...pr.requestedReviewers, ...reviewers])] },
    });
  }

  merge(owner: string, name: string, number: number, input: MergeInput, user: string) {
    return this.merger.merge(owner, name, number, input, user);
  }

  async createCheckRun(
    owner: string,
    name: string,
    input: { headSha: string; name: string; results: VerificationResult[] },
    user: string,
  ) {
    const repo = await this.repository(owner, name);
    const report = verificationReport(input.results);
    return this.prisma.$transaction(async (tx) => {
      const run = await tx.forgeCheckRun.create({
        data: {
          repositoryId: repo.id,
          headSha: input.headSha,
          name: input.name,
          conclusion: report.conclusion,
          summary: report.summary,
        },
      });
      const pulls = await tx.forgePullRequest.findMany({
        where: { repositoryId: repo.id, headSha: input.headSha },
      });
      await emit(tx, [
        this.events.checkRun(
          repo,
          {
            id: run.id,
            name: run.name,
            conclusion: report.conclusion,
            headSha: run.headSha,
            pullRequestNumbers: pulls.map((p) => p.number),
          },
          user,
        ),
      ]);
      return run;
    });
  }

  /**
   * After a push: every open pull request whose head branch moved is `synchronize`d. The pusher
   * is `user` when the credentials named one, else (a bare token) the pull request's author.
   */
  async pushed(
    owner: string,
    name: string,
    moved: { branch: string; sha: string }[],
    user: string | null,
  ): Promise<number> {
    if (moved.length === 0) return 0;
    const repo: RepoFacts | null = await this.prisma.forgeRepository.findFirst({ where: { owner, name } });
    if (!repo) return 0;
    return this.prisma.$transaction(async (tx) => {
      const events: ForgeEvent[] = [];
      for (const { branch, sha } of moved) {
        const open = await tx.forgePullRequest.findMany({
          where: { repositoryId: repo.id, headRef: branch, state: 'open' },
        });
        for (const pr of open) {
          const updated = await tx.forgePullRequest.update({ where: { id: pr.id }, data: { headSha: sha } });
          events.push(this.events.pullRequest(repo, updated, 'synchronize', user ?? pr.author));
        }
      }
      await emit(tx, events);
      return events.length;
    });
  }
}
