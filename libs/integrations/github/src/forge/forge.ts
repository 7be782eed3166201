/** A repository on GitHub, as `owner/name`. */
export interface RepoName {
  owner: string;
  repo: string;
}

export interface PullRequestRef {
  number: number;
  url: string;
  /** Login of the account GitHub records as the author. */
  author: string;
  headSha: string;
  state: 'open' | 'closed';
}

export interface VerificationResult {
  command: string;
  exitCode: number;
  durationMs: number;
  /** The tail of its output, shown in the check run when it failed. */
  output?: string;
}

export interface ReviewComment {
  id: number;
  author: string;
  body: string;
  path: string;
  line: number | null;
}

export interface CheckRunRef {
  id: number;
  url: string;
  conclusion: 'success' | 'failure';
}

/**
 * The forge port: everything Horizon does to a repository's pull requests after a run. The
 * notifier depends on it; `OctokitForge` (GitHub) and `LocalForgeAdapter`
 * (`@horizon/local-forge-client`, the local forge) implement it.
 */
export interface ForgePort {
  createPullRequest(
    repo: RepoName,
    pr: { head: string; base: string; title: string; body: string; draft?: boolean },
  ): Promise<PullRequestRef>;
  updatePullRequest(
    repo: RepoName,
    number: number,
    changes: { title?: string; body?: string; state?: 'open' | 'closed' },
  ): Promise<PullRequestRef>;
  comment(repo: RepoName, issueNumber: number, body: string): Promise<{ id: number; url: string }>;
  requestReview(repo: RepoName, number: number, reviewers: string[]): Promise<void>;
  createCheckRun(
    repo: RepoName,
    run: { headSha: string; name: string; results: VerificationResult[]; detailsUrl?: string },
  ): Promise<CheckRunRef>;
  /** A review's comments, in order: what a revise run is asked to address. */
  listReviewComments(repo: RepoName, number: number, reviewId: number): Promise<ReviewComment[]>;
  /** The pull request's unified diff. */
  getDiff(repo: RepoName, number: number): Promise<string>;
}
