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

/**
 * A completed check run: concluded from verification `results`, or, when `conclusion` is set,
 * so, with `summary` as its text (an agent review's verdict).
 */
export interface CheckRunInput {
  headSha: string;
  name: string;
  results: VerificationResult[];
  detailsUrl?: string;
  conclusion?: 'success' | 'neutral' | 'failure';
  summary?: string;
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
  conclusion: 'success' | 'neutral' | 'failure';
}

/** One pull-request review as GitHub's `pulls.createReview` takes it: a verdict and inline comments. */
export interface NewReview {
  /** The commit reviewed: comments' lines are resolved in its diff. */
  commitId: string;
  event: 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT';
  body: string;
  /** On the new side (`RIGHT`) of the diff; a line outside it is refused (422). */
  comments: { path: string; line: number; body: string }[];
}

/** An open pull request as the forge lists it: what a merge-conflict event names. */
export interface OpenPullRequest {
  number: number;
  title: string;
  body: string | null;
  headRef: string;
  headSha: string;
  baseRef: string;
  author: string;
  htmlUrl: string;
}

/** Whether a pull request merges cleanly into its base now, in the forge's words. */
export interface Mergeability {
  /** null while the forge has not computed it (GitHub computes it in the background after its base moves). */
  mergeable: boolean | null;
  /** GitHub's `mergeable_state` (`clean`, `dirty`, `unknown`, `blocked`, …); the local forge's `clean` or `dirty`. */
  state: string;
  /** What is in the way when the forge says (the local forge names the files; GitHub does not). */
  reason: string | null;
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
  createCheckRun(repo: RepoName, run: CheckRunInput): Promise<CheckRunRef>;
  /** One review with all its inline comments (one notification for the author, not one per comment). */
  createReview(repo: RepoName, number: number, review: NewReview): Promise<{ id: number; url: string }>;
  /** A review's comments, in order: what a revise run is asked to address. */
  listReviewComments(repo: RepoName, number: number, reviewId: number): Promise<ReviewComment[]>;
  /** The pull request's unified diff. */
  getDiff(repo: RepoName, number: number): Promise<string>;
  /** The pull request's description as it is now ('' when it has none). */
  getBody(repo: RepoName, number: number): Promise<string>;
  /** The open pull requests into `base`. */
  openPullRequests(repo: RepoName, base: string): Promise<OpenPullRequest[]>;
  /** Whether the pull request merges cleanly into its base: asked once, not waited for. */
  mergeability(repo: RepoName, number: number): Promise<Mergeability>;
}
