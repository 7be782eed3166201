import type { Octokit } from '@octokit/rest' with { 'resolution-mode': 'import' };
import { octokitFor } from '../app/github-app';
import type { RepoName } from './forge';

/** A pull request as a reader (an agent, a reviewer) sees it. Times are ISO 8601. */
export interface PullRequestDetail {
  repo: string;
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed' | 'merged';
  draft: boolean;
  author: string | null;
  baseRef: string;
  headRef: string;
  headSha: string;
  url: string;
  additions: number | null;
  deletions: number | null;
  changedFiles: number | null;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface ChangedFile {
  path: string;
  previousPath: string | null;
  status: string;
  additions: number;
  deletions: number;
  patch: string;
}

export interface PullRequestLineComment {
  id: string;
  author: string | null;
  body: string;
  path: string | null;
  line: number | null;
  reviewId: string | null;
  createdAt: string | null;
  url: string | null;
}

/** A check run or a commit status on the pull request's head. */
export interface CommitCheck {
  kind: 'check_run' | 'status';
  name: string;
  status: string;
  conclusion: string | null;
  url: string | null;
  startedAt: string | null;
  completedAt: string | null;
  summary: string;
}

/** The pull request (or repository) is not there, or not visible to the token. */
export class PullRequestNotFoundError extends Error {
  override readonly name = 'PullRequestNotFoundError';
}

export interface GitHubPullRequestReaderOptions {
  token: string;
  /** REST API root; tests point it at a stand-in. */
  apiUrl?: string;
  /** Lists stop after this many items (default 500). */
  maxItems?: number;
}

/** Reads GitHub pull requests (detail, files, line comments, checks) through Octokit's REST client. */
export class GitHubPullRequestReader {
  readonly name = 'github';
  private client?: Promise<Octokit>;

  constructor(private readonly options: GitHubPullRequestReaderOptions) {}

  getPullRequest(repo: RepoName, number: number): Promise<PullRequestDetail> {
    return this.call(repo, number, async (octokit) => {
      const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: number });
      return {
        repo: `${repo.owner}/${repo.repo}`,
        number: data.number,
        title: data.title,
        body: data.body ?? '',
        state: data.merged_at ? 'merged' : data.state === 'closed' ? 'closed' : 'open',
        draft: data.draft ?? false,
        author: data.user?.login ?? null,
        baseRef: data.base.ref,
        headRef: data.head.ref,
        headSha: data.head.sha,
        url: data.html_url,
        additions: data.additions ?? null,
        deletions: data.deletions ?? null,
        changedFiles: data.changed_files ?? null,
        createdAt: data.created_at,
        updatedAt: data.updated_at,
      };
    });
  }

  listFiles(repo: RepoName, number: number): Promise<ChangedFile[]> {
    return this.call(repo, number, async (octokit) => {
      const files = await octokit.paginate(
        octokit.rest.pulls.listFiles,
        { ...repo, pull_number: number, per_page: 100 },
        this.capped(),
      );
      return files.map((f) => ({
        path: f.filename,
        previousPath: f.previous_filename ?? null,
        status: f.status,
        additions: f.additions,
        deletions: f.deletions,
        patch: f.patch ?? '',
      }));
    });
  }

  /** Every line comment on the pull request, of every review. */
  listReviewComments(repo: RepoName, number: number): Promise<PullRequestLineComment[]> {
    return this.call(repo, number, async (octokit) => {
      const comments = await octokit.paginate(
        octokit.rest.pulls.listReviewComments,
        { ...repo, pull_number: number, per_page: 100 },
        this.capped(),
      );
      return comments.map((c) => ({
        id: String(c.id),
        author: c.user?.login ?? null,
        body: c.body,
        path: c.path,
        line: c.line ?? c.original_line ?? null,
        reviewId: c.pull_request_review_id ? String(c.pull_request_review_id) : null,
        createdAt: c.created_at,
        url: c.html_url,
      }));
    });
  }

  /** The check runs and commit statuses of the pull request's head commit. */
  listChecks(repo: RepoName, number: number): Promise<CommitCheck[]> {
    return this.call(repo, number, async (octokit) => {
      const { data: pr } = await octokit.rest.pulls.get({ ...repo, pull_number: number });
      const ref = pr.head.sha;
      const [runs, combined] = await Promise.all([
        octokit.paginate(octokit.rest.checks.listForRef, { ...repo, ref, per_page: 100 }, this.capped()),
        octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref, per_page: 100 }),
      ]);
      const checkRuns: CommitCheck[] = runs.map((r) => ({
        kind: 'check_run',
        name: r.name,
        status: r.status,
        conclusion: r.conclusion ?? null,
        url: r.html_url ?? r.details_url ?? null,
        startedAt: r.started_at ?? null,
        completedAt: r.completed_at ?? null,
        summary: [r.output.title, r.output.summary, r.output.text].filter(Boolean).join('\n\n'),
      }));
      const statuses: CommitCheck[] = combined.data.statuses.map((s) => ({
        kind: 'status',
        name: s.context,
        status: s.state,
        conclusion: s.state === 'pending' ? null : s.state,
        url: s.target_url ?? null,
        startedAt: s.created_at,
        completedAt: s.state === 'pending' ? null : s.updated_at,
        summary: s.description ?? '',
      }));
      return [...checkRuns, ...statuses];
    });
  }

  private async call<T>(repo: RepoName, number: number, fn: (octokit: Octokit) => Promise<T>): Promise<T> {
    this.client ??= octokitFor(this.options.token, this.options.apiUrl);
    try {
      return await fn(await this.client);
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 404)
        throw new PullRequestNotFoundError(`github: no pull request ${repo.owner}/${repo.repo}#${number}`);
      throw new Error(`github: ${status ? `HTTP ${status}: ` : ''}${(err as Error).message}`);
    }
  }

  /** A paginate map function that stops after `maxItems` items. */
  private capped<T>() {
    const max = this.options.maxItems ?? 500;
    let seen = 0;
    return (response: { data: T[] }, done: () => void): T[] => {
      seen += response.data.length;
      if (seen >= max) done();
      return response.data;
    };
  }
}
