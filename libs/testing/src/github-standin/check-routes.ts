import { randomBytes } from 'node:crypto';
import type { GitHubJson } from './json';
import type { GitHubModel, Repository } from './model';
import { GitHubError, type Reply, type RouteContext } from './route-types';

const BLOB_PATH = '/_blobs/job-logs/';

/**
 * Reading checks: a check run (`GET /repos/{o}/{r}/check-runs/{id}`, `checks: read`) and an
 * Actions job's log (`GET /repos/{o}/{r}/actions/jobs/{job_id}/logs`, `actions: read`), which
 * GitHub answers with a 302 to a short-lived signed blob URL that needs no credentials; the
 * stand-in serves that blob itself.
 */
export class CheckRoutes {
  private readonly signed = new Map<string, number>();

  constructor(
    private readonly model: GitHubModel,
    private readonly json: GitHubJson,
    private readonly baseUrl: string,
    private readonly access: (ctx: RouteContext, permission: string) => Repository,
  ) {}

  readonly handlers: Record<string, (ctx: RouteContext) => Reply> = {
    'checks/get': (ctx) => {
      const repo = this.access(ctx, 'checks');
      const id = Number(ctx.op.pathParams.check_run_id);
      const run = this.model.checkRuns.find(
        (r) => r.id === id && r.repo === `${repo.owner}/${repo.name}`.toLowerCase(),
      );
      if (!run) throw new GitHubError(404, 'Not Found');
      return { status: 200, json: this.json.checkRun(run) };
    },
    'actions/download-job-logs-for-workflow-run': (ctx) => {
      this.access(ctx, 'actions');
      const id = Number(ctx.op.pathParams.job_id);
      if (!this.model.jobLogs.has(id)) throw new GitHubError(404, 'Not Found');
      const signature = randomBytes(16).toString('hex');
      this.signed.set(signature, id);
      return { status: 302, headers: { location: `${this.baseUrl}${BLOB_PATH}${id}?sig=${signature}` } };
    },
  };

  /** A signed log URL's text; undefined for an unknown or spent signature; null for any other path. */
  blob(url: URL): string | undefined | null {
    if (!url.pathname.startsWith(BLOB_PATH)) return null;
    const id = this.signed.get(url.searchParams.get('sig') ?? '');
    if (id === undefined || String(id) !== url.pathname.slice(BLOB_PATH.length)) return undefined;
    this.signed.delete(url.searchParams.get('sig')!);
    return this.model.jobLogs.get(id);
  }
}
