import { commentableLines, unresolvedComment } from '@horizon/integrations-github';
import type { GitHubJson } from './json';
import { allows, GitHubModel, Level, Permissions, Repository, Review } from './model';
import { GitHubError, type Reply, type RouteContext } from './route-types';

const INSTALLATION_TOKEN_TTL_MS = 60 * 60 * 1000;
const notAccessible = () => new GitHubError(403, 'Resource not accessible by integration');
const notFound = () => new GitHubError(404, 'Not Found');
const validationFailed = (errors: object[]) => new GitHubError(422, 'Validation Failed', errors);

export class RepoRoutes {
  constructor(
    private readonly model: GitHubModel,
    private readonly json: GitHubJson,
    private readonly app: { id: number; slug: string; botLogin: string },
  ) {}

  readonly handlers: Record<string, (ctx: RouteContext) => Reply> = {
    'apps/get-authenticated': (ctx) => {
      this.requireApp(ctx);
      return {
        status: 200,
        json: {
          id: this.app.id,
          slug: this.app.slug,
          name: this.app.slug,
          installations_count: this.model.installations.size,
        },
      };
    },
    'apps/get-repo-installation': (ctx) => {
      this.requireApp(ctx);
      const installation = this.model.installationFor(repoName(ctx));
      if (!installation) throw notFound();
      return { status: 200, json: this.installationJson(installation.id) };
    },
    'apps/create-installation-access-token': (ctx) => {
      this.requireApp(ctx);
      const installation = this.model.installations.get(Number(ctx.op.pathParams.installation_id));
      if (!installation) throw notFound();
      const byId = (ctx.body.repository_ids as number[] | undefined)?.map(
        (id) => [...this.model.repos.values()].find((r) => r.id === id)?.name ?? `#${id}`,
      );
      const names = [...((ctx.body.repositories as string[] | undefined) ?? []), ...(byId ?? [])];
      if (names.some((n) => !installation.repositories.has(n))) {
        throw new GitHubError(
          422,
          'There is at least one repository that does not exist or is not accessible to the parent installation.',
        );
      }
      const asked = (ctx.body.permissions as Permissions | undefined) ?? installation.permissions;
      if (Object.entries(asked).some(([name, level]) => !allows(installation.permissions, name, level))) {
        throw new GitHubError(422, 'The permissions requested are not granted to this installation.');
      }
      const repositories = (names.length ? names : [...installation.repositories]).map((n) =>
        `${installation.account}/${n}`.toLowerCase(),
      );
      const expiresAt = new Date(Date.now() + INSTALLATION_TOKEN_TTL_MS);
      const token = this.model.issueToken('ghs', {
        kind: 'installation',
        installationId: installation.id,
        repositories,
        permissions: { ...asked, metadata: 'read' },
        expiresAt,
      });
      return {
        status: 201,
        json: {
          token,
          expires_at: expiresAt.toISOString(),
          permissions: { ...asked, metadata: 'read' },
          repository_selection: names.length ? 'selected' : 'all',
          repositories: repositories.map((r) => this.json.repository(this.model.repo(r)!)),
        },
      };
    },
    'apps/list-repos-accessible-to-installation': (ctx) => {
      const grant = this.requireInstallation(ctx);
      const repos = grant.repositories.map((r) => this.json.repository(this.model.repo(r)!));
      return {
        status: 200,
        json: { total_count: repos.length, repository_selection: 'selected', repositories: repos },
      };
    },
    'apps/revoke-installation-access-token': (ctx) => {
      this.requireInstallation(ctx);
      this.model.revokeToken((ctx.principal as { token: string }).token);
      return { status: 204 };
    },
    'users/get-authenticated': (ctx) => {
      if (ctx.principal.kind === 'none') throw new GitHubError(401, 'Requires authentication');
      if (ctx.principal.kind !== 'user') throw notAccessible();
      return { status: 200, json: this.json.user(this.model.user(ctx.principal.login)) };
    },
    'pulls/create': (ctx) => {
      const repo = this.requireRepo(ctx, 'pull_requests', 'write');
      const body = ctx.body as { head: string; base: string; title?: string; body?: string; draft?: boolean };
      const head = body.head.includes(':') ? body.head.split(':')[1]! : body.head;
      const headBranch = repo.branches.get(head);
      if (!headBranch) throw validationFailed([{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
      if (!repo.branches.has(body.base))
        throw validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
      const full = fullName(repo);
      if (
        this.model.pulls.some(
          (p) => p.repo === full && p.head === head && p.base === body.base && p.state === 'open',
        )
      ) {
        throw validationFailed([
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${repo.owner}:${head}.`,
          },
        ]);
      }
      const now = new Date();
      const pr = {
        id: this.model.id(),
        number: this.model.nextPullNumber(full),
        repo: full,
        title: body.title ?? head,
        body: body.body ?? null,
        head,
        base: body.base,
        headSha: headBranch.sha,
        draft: body.draft ?? false,
        state: 'open' as const,
        author: this.actor(ctx),
        requestedReviewers: [],
        createdAt: now,
        updatedAt: now,
      };
      this.model.pulls.push(pr);
      return { status: 201, json: this.json.pull(pr) };
    },
    'pulls/list': (ctx) => {
      const repo = this.requireRepo(ctx, 'pull_requests', 'read');
      const state = ctx.query.get('state') ?? 'open';
      // GitHub filters `head` as `user:ref-name`; a head without the owner matches nothing.
      const head = ctx.query.get('head');
      const [headOwner, headRef] = head?.includes(':') ? head.split(':') : [null, null];
      const base = ctx.query.get('base');
      const perPage = Number(ctx.query.get('per_page') ?? 30);
      const page = Number(ctx.query.get('page') ?? 1);
      const matching = this.model.pulls.filter(
        (p) =>
          p.repo === fullName(repo) &&
          (state === 'all' || p.state === state) &&
          (head === null || (headOwner?.toLowerCase() === repo.owner.toLowerCase() && p.head === headRef)) &&
          (base === null || p.base === base),
      );
      return {
        status: 200,
        json: matching.slice((page - 1) * perPage, page * perPage).map((p) => this.json.pull(p)),
      };
    },
    'pulls/get': (ctx) => {
      const { repo, pr } = this.requirePull(ctx, 'read');
      if (/\.diff\b|vnd\.github\.diff/.test(ctx.accept))
        return { status: 200, text: repo.branches.get(pr.head)?.diff ?? '' };
      // A closed PR has no mergeability; an open one is computed after its pending asks.
      const m = pr.mergeability;
      const mergeable = pr.state !== 'open' || (m && m.pendingAsks > 0) ? null : !m?.conflicting;
      if (m && m.pendingAsks > 0) m.pendingAsks--;
      return { status: 200, json: this.json.pullDetail(pr, mergeable) };
    },
    'pulls/update': (ctx) => {
      const { pr } = this.requirePull(ctx, 'write');
      const changes = ctx.body as { title?: string; body?: string; state?: 'open' | 'closed' };
      Object.assign(pr, {
        ...(changes.title !== undefined ? { title: changes.title } : {}),
        ...(changes.body !== undefined ? { body: changes.body } : {}),
        ...(changes.state !== undefined ? { state: changes.state } : {}),
        updatedAt: new Date(),
      });
      return { status: 200, json: this.json.pull(pr) };
    },
    'issues/create-comment': (ctx) => {
      // On a pull request, either `issues: write` or `pull_requests: write` will do.
      const repo = this.requireRepoAccess(ctx);
      this.requirePermission(ctx, repo, ['issues', 'pull_requests'], 'write');
      const number = Number(ctx.op.pathParams.issue_number);
      if (!this.model.pulls.some((p) => p.repo === fullName(repo) && p.number === number)) throw notFound();
      const comment = {
        id: this.model.id(),
        repo: fullName(repo),
        issueNumber: number,
        author: this.actor(ctx),
        body: String(ctx.body.body),
        createdAt: new Date(),
      };
      this.model.issueComments.push(comment);
      return { status: 201, json: this.json.issueComment(comment) };
    },
    'pulls/request-reviewers': (ctx) => {
      const { repo, pr } = this.requirePull(ctx, 'write');
      const reviewers = (ctx.body.reviewers as string[] | undefined) ?? [];
      if (reviewers.some((r) => r.toLowerCase() === pr.author.toLowerCase())) {
        throw new GitHubError(422, 'Review cannot be requested from pull request author.');
      }
      if (reviewers.some((r) => !isCollaborator(repo, r))) {
        throw new GitHubError(
          422,
          `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${fullName(repo)} repository.`,
        );
      }
      pr.requestedReviewers = [...new Set([...pr.requestedReviewers, ...reviewers])];
      return { status: 201, json: this.json.pull(pr) };
    },
    'checks/create': (ctx) => {
      // Only an app, through an installation token, may write check runs.
      if (ctx.principal.kind === 'user')
        throw new GitHubError(403, 'You must authenticate via a GitHub App.');
      const repo = this.requireRepo(ctx, 'checks', 'write');
      const body = ctx.body as {
        name: string;
        head_sha: string;
        status?: string;
        conclusion?: string;
        output?: CheckOutput;
      };
      const run = {
        id: this.model.id(),
        repo: fullName(repo),
        name: body.name,
        headSha: body.head_sha,
        status: body.conclusion ? 'completed' : (body.status ?? 'queued'),
        conclusion: body.conclusion ?? null,
        output: body.output ?? null,
        author: this.app.botLogin,
      };
      this.model.checkRuns.push(run);
      return { status: 201, json: this.json.checkRun(run) };
    },
    'pulls/create-review': (ctx) => {
      const { repo, pr } = this.requirePull(ctx, 'write');
      const body = ctx.body as { event?: string; body?: string; comments?: Review['comments'] };
      const reviewer = this.actor(ctx);
      const refuse = (message: string) =>
        new GitHubError(422, 'Unprocessable Entity', [
          { resource: 'PullRequestReview', code: 'custom', message },
        ]);
      if (body.event !== 'COMMENT' && reviewer === pr.author)
        throw refuse('Can not approve or request changes on your own pull request');
      const lines = commentableLines(repo.branches.get(pr.head)?.diff ?? '');
      const unresolved = (body.comments ?? []).map((c) => unresolvedComment(lines, c)).find(Boolean);
      if (unresolved) throw refuse(unresolved);
      const states: Record<string, Review['state']> = {
        APPROVE: 'APPROVED',
        REQUEST_CHANGES: 'CHANGES_REQUESTED',
      };
      const review: Review = {
        id: this.model.id(),
        repo: pr.repo,
        pullNumber: pr.number,
        reviewer,
        state: states[body.event ?? ''] ?? 'COMMENTED',
        body: body.body ?? '',
        comments: (body.comments ?? []).map((c) => ({ ...c, id: this.model.id() })),
      };
      this.model.reviews.push(review);
      const { id, state } = review;
      const html_url = `https://github.com/${pr.repo}/pull/${pr.number}#pullrequestreview-${id}`;
      return { status: 200, json: { id, state, body: review.body, commit_id: pr.headSha, html_url } };
    },
    'pulls/list-comments-for-review': (ctx) => {
      const { pr } = this.requirePull(ctx, 'read');
      const review = this.model.reviews.find(
        (r) =>
          r.id === Number(ctx.op.pathParams.review_id) && r.repo === pr.repo && r.pullNumber === pr.number,
      );
      if (!review) throw notFound();
      const perPage = Number(ctx.query.get('per_page') ?? 30);
      const page = Number(ctx.query.get('page') ?? 1);
      const slice = review.comments.slice((page - 1) * perPage, page * perPage);
      return {
        status: 200,
        json: slice.map((c) => ({
          id: c.id,
          pull_request_review_id: review.id,
          body: c.body,
          path: c.path,
          line: c.line,
          original_line: c.line,
          user: this.json.user(this.model.user(review.reviewer)),
        })),
      };
    },
  };

  private installationJson(id: number) {
    const installation = this.model.installations.get(id)!;
    return {
      id,
      account: this.json.user(this.model.user(installation.account)),
      repository_selection: 'selected',
      permissions: installation.permissions,
      access_tokens_url: `/app/installations/${id}/access_tokens`,
      target_type: 'Organization',
    };
  }

  private requireApp(ctx: RouteContext): void {
    if (ctx.principal.kind !== 'app') {
      throw new GitHubError(401, 'A JSON web token could not be decoded');
    }
  }

  private requireInstallation(ctx: RouteContext) {
    if (ctx.principal.kind !== 'installation') throw notAccessible();
    return ctx.principal.grant;
  }

  /** Who GitHub records as having done it: the user, or the app's bot account. */
  private actor(ctx: RouteContext): string {
    return ctx.principal.kind === 'user' ? ctx.principal.login : this.app.botLogin;
  }

  requireRepo(ctx: RouteContext, permission: string, level: Level): Repository {
    const repo = this.requireRepoAccess(ctx);
    this.requirePermission(ctx, repo, [permission], level);
    return repo;
  }

  /**
   * A repository outside a token's reach is a 404, as GitHub answers (it does not confirm a
   * private repository exists). User-to-server tokens reach what the user can, within the
   * repositories the app is installed on.
   */
  private requireRepoAccess(ctx: RouteContext): Repository {
    const name = repoName(ctx);
    const repo = this.model.repo(name);
    const p = ctx.principal;
    if (p.kind === 'none') throw notFound();
    if (p.kind === 'app') throw notAccessible();
    if (!repo) throw notFound();
    if (p.kind === 'installation' && !p.grant.repositories.includes(name.toLowerCase())) throw notFound();
    if (p.kind === 'user' && (!isCollaborator(repo, p.login) || !this.model.installationFor(name)))
      throw notFound();
    return repo;
  }

  private requirePermission(ctx: RouteContext, repo: Repository, anyOf: string[], level: Level): void {
    const p = ctx.principal;
    const held =
      p.kind === 'installation'
        ? p.grant.permissions
        : (this.model.installationFor(fullName(repo))?.permissions ?? {});
    if (!anyOf.some((name) => allows(held, name, level))) throw notAccessible();
  }

  private requirePull(ctx: RouteContext, level: Level) {
    const repo = this.requireRepo(ctx, 'pull_requests', level);
    const number = Number(ctx.op.pathParams.pull_number);
    const pr = this.model.pulls.find((p) => p.repo === fullName(repo) && p.number === number);
    if (!pr) throw notFound();
    return { repo, pr };
  }
}

type CheckOutput = { title?: string; summary?: string; text?: string };

function repoName(ctx: RouteContext): string {
  return `${ctx.op.pathParams.owner}/${ctx.op.pathParams.repo}`;
}

function fullName(repo: Repository): string {
  return `${repo.owner}/${repo.name}`.toLowerCase();
}

function isCollaborator(repo: Repository, login: string): boolean {
  return login.toLowerCase() === repo.owner.toLowerCase() || repo.collaborators.has(login.toLowerCase());
}
