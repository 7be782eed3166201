import type { Octokit } from '@octokit/rest' with { 'resolution-mode': 'import' };
import { CiCheck, DiffFile, PullRequest, ReviewComment } from './records';
import { ForgeSource, MAX_SOURCE_ITEMS, RepoRef, SourceNotFound } from './ports';

export interface GitHubForgeOptions {
  token: string;
  /** REST API root; tests point it at a stand-in. */
  apiUrl?: string;
}

/**
 * GitHub pull requests through Octokit's REST client (an ES module, loaded on first use
 * because this workspace compiles to CommonJS).
 */
export class GitHubForge implements ForgeSource {
  readonly name = 'github';
  private client?: Promise<Octokit>;

  constructor(private readonly options: GitHubForgeOptions) {}

  getPullRequest(repo: RepoRef, number: number): Promise<PullRequest> {
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

  listFiles(repo: RepoRef, number: number): Promise<DiffFile[]> {
    return this.call(repo, number, async (octokit) => {
      const files = await octokit.paginate(
        octokit.rest.pulls.listFiles,
        { ...repo, pull_number: number, per_page: 100 },
        capped(),
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

  listReviewComments(repo: RepoRef, number: number): Promise<ReviewComment[]> {
    return this.call(repo, number, async (octokit) => {
      const comments = await octokit.paginate(
        octokit.rest.pulls.listReviewComments,
        { ...repo, pull_number: number, per_page: 100 },
        capped(),
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

  listChecks(repo: RepoRef, number: number): Promise<CiCheck[]> {
    return this.call(repo, number, async (octokit) => {
      const { data: pr } = await octokit.rest.pulls.get({ ...repo, pull_number: number });
      const ref = pr.head.sha;
      const [runs, combined] = await Promise.all([
        octokit.paginate(octokit.rest.checks.listForRef, { ...repo, ref, per_page: 100 }, capped()),
        octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref, per_page: 100 }),
      ]);
      const checkRuns: CiCheck[] = runs.map((r) => ({
        kind: 'check_run',
        name: r.name,
        status: r.status,
        conclusion: r.conclusion ?? null,
        url: r.html_url ?? r.details_url ?? null,
        startedAt: r.started_at ?? null,
        completedAt: r.completed_at ?? null,
        summary: [r.output.title, r.output.summary, r.output.text].filter(Boolean).join('\n\n'),
      }));
      const statuses: CiCheck[] = combined.data.statuses.map((s) => ({
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

  private async call<T>(repo: RepoRef, number: number, fn: (octokit: Octokit) => Promise<T>): Promise<T> {
    this.client ??= import('@octokit/rest').then(
      ({ Octokit }) =>
        new Octokit({
          auth: this.options.token,
          baseUrl: this.options.apiUrl ?? 'https://api.github.com',
          log: {
            debug: () => undefined,
            info: () => undefined,
            warn: () => undefined,
            error: () => undefined,
          },
        }),
    );
    try {
      return await fn(await this.client);
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 404)
        throw new SourceNotFound(`github: no pull request ${repo.owner}/${repo.repo}#${number}`);
      throw new Error(`github: ${status ? `HTTP ${status}: ` : ''}${(err as Error).message}`);
    }
  }
}

/** A paginate map function that stops after MAX_SOURCE_ITEMS items. */
function capped<T>() {
  let seen = 0;
  return (response: { data: T[] }, done: () => void): T[] => {
    seen += response.data.length;
    if (seen >= MAX_SOURCE_ITEMS) done();
    return response.data;
  };
}
