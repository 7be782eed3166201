import type { Octokit } from '@octokit/rest' with { 'resolution-mode': 'import' };
import { octokitFor } from '../app/github-app';
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
} from './forge';
import { verificationReport } from './verification-report';

type PullData = Awaited<ReturnType<Octokit['rest']['pulls']['get']>>['data'];

/** `ForgePort` over Octokit's REST client, acting as whoever the token belongs to. */
export class OctokitForge implements ForgePort {
  constructor(private readonly octokit: Octokit) {}

  static async withToken(token: string, baseUrl?: string): Promise<OctokitForge> {
    return new OctokitForge(await octokitFor(token, baseUrl));
  }

  async createPullRequest(
    repo: RepoName,
    pr: { head: string; base: string; title: string; body: string; draft?: boolean },
  ): Promise<PullRequestRef> {
    const { data } = await this.octokit.rest.pulls.create({ ...repo, ...pr });
    return pullRef(data);
  }

  async updatePullRequest(
    repo: RepoName,
    number: number,
    changes: { title?: string; body?: string; state?: 'open' | 'closed' },
  ): Promise<PullRequestRef> {
    const { data } = await this.octokit.rest.pulls.update({ ...repo, pull_number: number, ...changes });
    return pullRef(data);
  }

  async comment(repo: RepoName, issueNumber: number, body: string): Promise<{ id: number; url: string }> {
    const { data } = await this.octokit.rest.issues.createComment({
      ...repo,
      issue_number: issueNumber,
      body,
    });
    return { id: data.id, url: data.html_url };
  }

  async requestReview(repo: RepoName, number: number, reviewers: string[]): Promise<void> {
    await this.octokit.rest.pulls.requestReviewers({ ...repo, pull_number: number, reviewers });
  }

  async createCheckRun(repo: RepoName, run: CheckRunInput): Promise<CheckRunRef> {
    const report = run.conclusion
      ? { conclusion: run.conclusion, title: run.name, summary: run.summary ?? run.name }
      : verificationReport(run.results);
    const { data } = await this.octokit.rest.checks.create({
      ...repo,
      name: run.name,
      head_sha: run.headSha,
      status: 'completed',
      conclusion: report.conclusion,
      completed_at: new Date().toISOString(),
      ...(run.detailsUrl ? { details_url: run.detailsUrl } : {}),
      output: { title: report.title, summary: report.summary },
    });
    return { id: data.id, url: data.html_url ?? data.url, conclusion: report.conclusion };
  }

  async createReview(
    repo: RepoName,
    number: number,
    review: NewReview,
  ): Promise<{ id: number; url: string }> {
    const { data } = await this.octokit.rest.pulls.createReview({
      ...repo,
      pull_number: number,
      commit_id: review.commitId,
      event: review.event,
      body: review.body,
      comments: review.comments.map((c) => ({ path: c.path, line: c.line, side: 'RIGHT', body: c.body })),
    });
    return { id: data.id, url: data.html_url };
  }

  async listReviewComments(repo: RepoName, number: number, reviewId: number): Promise<ReviewComment[]> {
    const comments = await this.octokit.paginate(this.octokit.rest.pulls.listCommentsForReview, {
      ...repo,
      pull_number: number,
      review_id: reviewId,
      per_page: 100,
    });
    return comments.map((c) => ({
      id: c.id,
      author: c.user?.login ?? 'ghost',
      body: c.body,
      path: c.path,
      line: c.line ?? c.original_line ?? null,
    }));
  }

  async getDiff(repo: RepoName, number: number): Promise<string> {
    const { data } = await this.octokit.rest.pulls.get({
      ...repo,
      pull_number: number,
      mediaType: { format: 'diff' },
    });
    // With the diff media type GitHub answers text/plain; Octokit passes the string through.
    return data as unknown as string;
  }

  async getBody(repo: RepoName, number: number): Promise<string> {
    const { data } = await this.octokit.rest.pulls.get({ ...repo, pull_number: number });
    return data.body ?? '';
  }

  async openPullRequests(repo: RepoName, base: string): Promise<OpenPullRequest[]> {
    const pulls = await this.octokit.paginate(this.octokit.rest.pulls.list, {
      ...repo,
      base,
      state: 'open',
      per_page: 100,
    });
    return pulls.map((p) => ({
      number: p.number,
      title: p.title,
      body: p.body,
      headRef: p.head.ref,
      headSha: p.head.sha,
      baseRef: p.base.ref,
      author: p.user?.login ?? 'ghost',
      htmlUrl: p.html_url,
    }));
  }

  /** GitHub answers `mergeable: null` until its background job has computed it; the first ask starts that job. */
  async mergeability(repo: RepoName, number: number): Promise<Mergeability> {
    const { data } = await this.octokit.rest.pulls.get({ ...repo, pull_number: number });
    return { mergeable: data.mergeable, state: data.mergeable_state, reason: null };
  }
}

function pullRef(data: Pick<PullData, 'number' | 'html_url' | 'user' | 'head' | 'state'>): PullRequestRef {
  return {
    number: data.number,
    url: data.html_url,
    author: data.user?.login ?? 'ghost',
    headSha: data.head.sha,
    state: data.state === 'closed' ? 'closed' : 'open',
  };
}
