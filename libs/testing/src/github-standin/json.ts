import type { CheckRun, GitHubModel, IssueComment, PullRequest, Repository, User } from './model';

/**
 * Response bodies in GitHub's shapes, with the fields Octokit users read. Responses are not
 * validated (GitHub's own carry hundreds of fields); requests are.
 */
export class GitHubJson {
  constructor(
    private readonly model: GitHubModel,
    private readonly baseUrl: string,
  ) {}

  user(user: User) {
    return {
      login: user.login,
      id: user.id,
      node_id: `U_${user.id}`,
      type: user.type,
      site_admin: false,
      name: user.name,
      url: `${this.baseUrl}/users/${user.login}`,
      html_url: `https://github.com/${user.login}`,
    };
  }

  repository(repo: Repository) {
    const owner = this.model.user(repo.owner);
    return {
      id: repo.id,
      node_id: `R_${repo.id}`,
      name: repo.name,
      full_name: `${repo.owner}/${repo.name}`,
      private: true,
      owner: this.user(owner),
      default_branch: repo.defaultBranch,
      url: `${this.baseUrl}/repos/${repo.owner}/${repo.name}`,
      html_url: `https://github.com/${repo.owner}/${repo.name}`,
    };
  }

  pull(pr: PullRequest) {
    const repo = this.model.repo(pr.repo)!;
    const [owner, name] = pr.repo.split('/');
    const ref = (branch: string, sha: string) => ({
      label: `${owner}:${branch}`,
      ref: branch,
      sha,
      user: this.user(this.model.user(repo.owner)),
      repo: this.repository(repo),
    });
    return {
      id: pr.id,
      node_id: `PR_${pr.id}`,
      number: pr.number,
      state: pr.state,
      title: pr.title,
      body: pr.body,
      draft: pr.draft,
      user: this.user(this.model.user(pr.author)),
      requested_reviewers: pr.requestedReviewers.map((l) => this.user(this.model.user(l))),
      head: ref(pr.head, pr.headSha),
      base: ref(pr.base, repo.branches.get(pr.base)?.sha ?? ''),
      created_at: pr.createdAt.toISOString(),
      updated_at: pr.updatedAt.toISOString(),
      url: `${this.baseUrl}/repos/${owner}/${name}/pulls/${pr.number}`,
      html_url: `https://github.com/${owner}/${name}/pull/${pr.number}`,
      diff_url: `https://github.com/${owner}/${name}/pull/${pr.number}.diff`,
    };
  }

  /** A single pull request as `pulls.get` answers: with `merged` and GitHub's mergeability (null: not computed yet). */
  pullDetail(pr: PullRequest, mergeable: boolean | null) {
    return {
      ...this.pull(pr),
      merged: pr.merged ?? false,
      mergeable,
      mergeable_state: mergeable === null ? 'unknown' : mergeable ? 'clean' : 'dirty',
    };
  }

  issueComment(comment: IssueComment) {
    return {
      id: comment.id,
      node_id: `IC_${comment.id}`,
      body: comment.body,
      user: this.user(this.model.user(comment.author)),
      created_at: comment.createdAt.toISOString(),
      updated_at: comment.createdAt.toISOString(),
      url: `${this.baseUrl}/repos/${comment.repo}/issues/comments/${comment.id}`,
      html_url: `https://github.com/${comment.repo}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
    };
  }

  checkRun(run: CheckRun) {
    return {
      id: run.id,
      name: run.name,
      head_sha: run.headSha,
      status: run.status,
      conclusion: run.conclusion,
      output: {
        title: run.output?.title ?? null,
        summary: run.output?.summary ?? null,
        text: run.output?.text ?? null,
      },
      app: { slug: run.author },
      url: `${this.baseUrl}/repos/${run.repo}/check-runs/${run.id}`,
      html_url: `https://github.com/${run.repo}/runs/${run.id}`,
    };
  }
}
