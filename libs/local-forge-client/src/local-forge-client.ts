/**
 * A small client of the local forge's REST API (docs/local-forge.md), used by
 * `LocalForgeAdapter`, the `horizon` CLI and tests. Answers other than 2xx become
 * `LocalForgeApiError` with the forge's message.
 */
export class LocalForgeApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'LocalForgeApiError';
  }
}

export interface LocalForgeClientOptions {
  baseUrl: string;
  token: string;
  /** Sent as `X-Forge-User`: who acts (the author of a review, a comment, a merge). */
  user?: string;
}

export interface PullRequest {
  id: number;
  number: number;
  title: string;
  body: string | null;
  headRef: string;
  headSha: string;
  baseRef: string;
  author: string;
  state: 'open' | 'closed';
  merged: boolean;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  requestedReviewers: string[];
  createdAt: string;
  updatedAt: string;
}

/** A label, as GitHub's label object (without its URLs). */
export interface Label {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface PullRequestDetail extends PullRequest {
  labels: Label[];
  approved: boolean;
  approvedBy: string[];
  changesRequestedBy: string[];
  mergeable: boolean;
  mergeableReason: string | null;
}

export interface Comment {
  id: number;
  reviewId: number | null;
  author: string;
  body: string;
  path: string | null;
  line: number | null;
  createdAt: string;
}

export interface Review {
  id: number;
  author: string;
  state: 'approved' | 'changes_requested' | 'commented';
  body: string | null;
  commitSha: string;
  createdAt: string;
}

export interface CheckRun {
  id: number;
  headSha: string;
  name: string;
  conclusion: 'success' | 'failure';
  summary: string;
  createdAt: string;
}

export interface Repository {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
}

export class LocalForgeClient {
  /** The forge's URL without a trailing slash. */
  readonly baseUrl: string;
  constructor(private readonly options: LocalForgeClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
  }

  as(user: string): LocalForgeClient {
    return new LocalForgeClient({ ...this.options, user });
  }

  async request<T>(method: string, path: string, body?: unknown, accept = 'application/json'): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.options.token}`,
        accept,
        ...(this.options.user ? { 'x-forge-user': this.options.user } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        // not JSON: the text is the message
      }
      throw new LocalForgeApiError(res.status, `${method} ${path}: ${res.status} ${message}`.trim());
    }
    return (accept === 'application/json' ? JSON.parse(text) : text) as T;
  }

  private repoPath(owner: string, name: string) {
    return `/api/v1/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
  }

  createRepository(input: { owner: string; name: string; from?: string; defaultBranch?: string }) {
    return this.request<Repository>('POST', '/api/v1/repos', input);
  }
  listRepositories() {
    return this.request<Repository[]>('GET', '/api/v1/repos');
  }
  branches(owner: string, name: string) {
    return this.request<{ name: string; sha: string }[]>('GET', `${this.repoPath(owner, name)}/branches`);
  }
  createPull(
    owner: string,
    name: string,
    input: { head: string; base?: string; title: string; body?: string },
  ) {
    return this.request<PullRequest>('POST', `${this.repoPath(owner, name)}/pulls`, input);
  }
  listPulls(owner: string, name: string, state: 'open' | 'closed' | 'all' = 'open') {
    return this.request<PullRequest[]>('GET', `${this.repoPath(owner, name)}/pulls?state=${state}`);
  }
  pull(owner: string, name: string, number: number) {
    return this.request<PullRequestDetail>('GET', `${this.repoPath(owner, name)}/pulls/${number}`);
  }
  updatePull(
    owner: string,
    name: string,
    number: number,
    changes: { title?: string; body?: string; state?: 'open' | 'closed' },
  ) {
    return this.request<PullRequest>('PATCH', `${this.repoPath(owner, name)}/pulls/${number}`, changes);
  }
  diff(owner: string, name: string, number: number) {
    return this.request<string>(
      'GET',
      `${this.repoPath(owner, name)}/pulls/${number}/diff`,
      undefined,
      'text/x-diff',
    );
  }
  comments(owner: string, name: string, number: number) {
    return this.request<Comment[]>('GET', `${this.repoPath(owner, name)}/pulls/${number}/comments`);
  }
  comment(
    owner: string,
    name: string,
    number: number,
    input: { body: string; path?: string; line?: number },
  ) {
    return this.request<Comment>('POST', `${this.repoPath(owner, name)}/pulls/${number}/comments`, input);
  }
  reviews(owner: string, name: string, number: number) {
    return this.request<Review[]>('GET', `${this.repoPath(owner, name)}/pulls/${number}/reviews`);
  }
  review(
    owner: string,
    name: string,
    number: number,
    input: {
      event: 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT';
      body?: string;
      commit_id?: string;
      comments?: { path: string; line?: number; body: string }[];
    },
  ) {
    return this.request<Review>('POST', `${this.repoPath(owner, name)}/pulls/${number}/reviews`, input);
  }
  reviewComments(owner: string, name: string, number: number, reviewId: number) {
    return this.request<Comment[]>(
      'GET',
      `${this.repoPath(owner, name)}/pulls/${number}/reviews/${reviewId}/comments`,
    );
  }
  requestReviewers(owner: string, name: string, number: number, reviewers: string[]) {
    return this.request<PullRequest>(
      'POST',
      `${this.repoPath(owner, name)}/pulls/${number}/requested_reviewers`,
      { reviewers },
    );
  }
  merge(owner: string, name: string, number: number, input: { sha?: string; message?: string } = {}) {
    return this.request<PullRequest>('POST', `${this.repoPath(owner, name)}/pulls/${number}/merge`, input);
  }
  /** The pull request's labels (GitHub's issue-label paths: a pull request is an issue there). */
  labels(owner: string, name: string, number: number) {
    return this.request<Label[]>('GET', `${this.repoPath(owner, name)}/issues/${number}/labels`);
  }
  /** Adds labels, creating those the repository lacks; answers every label of the pull request. */
  addLabels(owner: string, name: string, number: number, labels: string[]) {
    return this.request<Label[]>('POST', `${this.repoPath(owner, name)}/issues/${number}/labels`, { labels });
  }
  /** Removes one label; answers the labels left (404 when it does not carry it). */
  removeLabel(owner: string, name: string, number: number, label: string) {
    return this.request<Label[]>(
      'DELETE',
      `${this.repoPath(owner, name)}/issues/${number}/labels/${encodeURIComponent(label)}`,
    );
  }
  createCheckRun(
    owner: string,
    name: string,
    input: {
      headSha: string;
      name: string;
      results: { command: string; exitCode: number; durationMs: number; output?: string }[];
      detailsUrl?: string;
      conclusion?: 'success' | 'neutral' | 'failure';
      summary?: string;
    },
  ) {
    return this.request<{ id: number; conclusion: 'success' | 'neutral' | 'failure' }>(
      'POST',
      `${this.repoPath(owner, name)}/check-runs`,
      input,
    );
  }
  /** The check runs reported on a commit, oldest first. */
  checkRuns(owner: string, name: string, sha: string) {
    return this.request<CheckRun[]>(
      'GET',
      `${this.repoPath(owner, name)}/commits/${encodeURIComponent(sha)}/check-runs`,
    );
  }
  /** Publishes one of the forge's deliveries again under a new envelope id (`horizon delivery replay local`). */
  replayDelivery(deliveryId: string) {
    return this.request<{ originalId: string; envelopeId: string; subject: string }>(
      'POST',
      `/api/v1/deliveries/${encodeURIComponent(deliveryId)}/replay`,
    );
  }
}
