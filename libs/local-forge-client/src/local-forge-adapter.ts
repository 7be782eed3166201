import type {
  CheckRunInput,
  CheckRunRef,
  ForgePort,
  Mergeability,
  NewReview,
  OpenPullRequest,
  PullRequestRef,
  RepoName,
  ReviewComment,
} from '@horizon/integrations-github';
import { LocalForgeClient, PullRequest } from './local-forge-client';

/**
 * The `ForgePort` over the local forge, so the rest of Horizon opens, comments on and
 * reads pull requests the same way on either. Acts as `user` (e.g. `horizon[bot]`).
 */
export class LocalForgeAdapter implements ForgePort {
  private readonly client: LocalForgeClient;
  constructor(options: { baseUrl: string; token: string; user: string }) {
    this.client = new LocalForgeClient(options);
  }

  /** A pull request as the port names it (its URL is the forge's page for it). */
  ref(pr: PullRequest, repo: RepoName): PullRequestRef {
    return {
      number: pr.number,
      url: this.pullUrl(repo, pr.number),
      author: pr.author,
      headSha: pr.headSha,
      state: pr.state,
    };
  }

  private pullUrl(repo: RepoName, number: number): string {
    return `${this.client.baseUrl}/${repo.owner}/${repo.repo}/pull/${number}`;
  }

  async createPullRequest(
    repo: RepoName,
    pr: { head: string; base: string; title: string; body: string; draft?: boolean },
  ) {
    const created = await this.client.createPull(repo.owner, repo.repo, {
      head: pr.head,
      base: pr.base,
      title: pr.title,
      body: pr.body,
    });
    return this.ref(created, repo);
  }

  async updatePullRequest(
    repo: RepoName,
    number: number,
    changes: { title?: string; body?: string; state?: 'open' | 'closed' },
  ) {
    return this.ref(await this.client.updatePull(repo.owner, repo.repo, number, changes), repo);
  }

  async comment(repo: RepoName, issueNumber: number, body: string) {
    const c = await this.client.comment(repo.owner, repo.repo, issueNumber, { body });
    return { id: c.id, url: `${this.pullUrl(repo, issueNumber)}#issuecomment-${c.id}` };
  }

  async requestReview(repo: RepoName, number: number, reviewers: string[]): Promise<void> {
    await this.client.requestReviewers(repo.owner, repo.repo, number, reviewers);
  }

  async createCheckRun(repo: RepoName, run: CheckRunInput): Promise<CheckRunRef> {
    const created = await this.client.createCheckRun(repo.owner, repo.repo, run);
    return {
      id: created.id,
      url: run.detailsUrl ?? `${this.client.baseUrl}/${repo.owner}/${repo.repo}`,
      conclusion: created.conclusion,
    };
  }

  async createReview(
    repo: RepoName,
    number: number,
    review: NewReview,
  ): Promise<{ id: number; url: string }> {
    const created = await this.client.review(repo.owner, repo.repo, number, {
      event: review.event,
      body: review.body,
      commit_id: review.commitId,
      comments: review.comments,
    });
    return { id: created.id, url: `${this.pullUrl(repo, number)}#pullrequestreview-${created.id}` };
  }

  async listReviewComments(repo: RepoName, number: number, reviewId: number): Promise<ReviewComment[]> {
    const comments = await this.client.reviewComments(repo.owner, repo.repo, number, reviewId);
    return comments.map((c) => ({
      id: c.id,
      author: c.author,
      body: c.body,
      path: c.path ?? '',
      line: c.line,
    }));
  }

  getDiff(repo: RepoName, number: number): Promise<string> {
    return this.client.diff(repo.owner, repo.repo, number);
  }

  async getBody(repo: RepoName, number: number): Promise<string> {
    return (await this.client.pull(repo.owner, repo.repo, number)).body ?? '';
  }

  async openPullRequests(repo: RepoName, base: string): Promise<OpenPullRequest[]> {
    const pulls = await this.client.listPulls(repo.owner, repo.repo, 'open');
    return pulls
      .filter((p) => p.baseRef === base)
      .map((p) => ({
        number: p.number,
        title: p.title,
        body: p.body,
        headRef: p.headRef,
        headSha: p.headSha,
        baseRef: p.baseRef,
        author: p.author,
        htmlUrl: this.pullUrl(repo, p.number),
      }));
  }

  /**
   * The local forge computes it on each ask (`git merge-tree`): never null. Only its
   * `merge conflict in …` is GitHub's `dirty`; a head with nothing new, or a base gone, blocks.
   */
  async mergeability(repo: RepoName, number: number): Promise<Mergeability> {
    const pr = await this.client.pull(repo.owner, repo.repo, number);
    const conflict = pr.mergeableReason?.startsWith('merge conflict') ?? false;
    const state = pr.mergeable ? 'clean' : conflict ? 'dirty' : 'blocked';
    return { mergeable: pr.mergeable, state, reason: pr.mergeableReason };
  }
}
