import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * The read side of GitHub's pull request REST API on loopback, in GitHub's response shapes:
 * what mcp-context reads and the shared GitHub stand-in (libs/testing) does not serve yet —
 * pull request files, review comments, check runs and combined status for a ref — plus the
 * pull request itself. Pages by `per_page`/`page` with a `Link` header, as GitHub does.
 */
export interface PullFixture {
  number: number;
  title: string;
  body: string;
  author: string;
  head: string;
  base: string;
  headSha: string;
  files: { filename: string; status: string; additions: number; deletions: number; patch?: string }[];
  reviewComments: { id: number; user: string; body: string; path: string; line: number; reviewId: number }[];
  checkRuns: {
    id: number;
    name: string;
    status: string;
    conclusion: string | null;
    title: string;
    summary: string;
  }[];
  statuses: { context: string; state: string; description: string }[];
}

export interface GitHubPullsStandin {
  url: string;
  token: string;
  requests: string[];
  close(): Promise<void>;
}

export async function startGitHubPullsStandin(
  repo: string,
  pulls: PullFixture[],
): Promise<GitHubPullsStandin> {
  const token = 'ghs_pulls_standin';
  const requests: string[] = [];
  const time = '2026-11-20T10:00:00Z';
  let base = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    requests.push(`${req.method} ${url.pathname}`);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `token ${token}` && req.headers.authorization !== `Bearer ${token}`)
      return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    const paged = (items: unknown[]) => {
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const slice = items.slice((page - 1) * perPage, page * perPage);
      const headers: Record<string, string> = {};
      if (page * perPage < items.length) {
        const next = new URL(url);
        next.searchParams.set('page', String(page + 1));
        headers.link = `<${next}>; rel="next"`;
      }
      return { slice, headers };
    };
    const prefix = `/repos/${repo}`;
    const match = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : '';
    const pullPath = /^\/pulls\/(\d+)(\/files|\/comments)?$/.exec(match);
    if (req.method === 'GET' && pullPath) {
      const pr = pulls.find((p) => p.number === Number(pullPath[1]));
      if (!pr) return send(404, { message: 'Not Found' });
      if (pullPath[2] === '/files') {
        const { slice, headers } = paged(
          pr.files.map((f) => ({ sha: 'f'.repeat(40), changes: f.additions + f.deletions, ...f })),
        );
        return send(200, slice, headers);
      }
      if (pullPath[2] === '/comments') {
        const { slice, headers } = paged(
          pr.reviewComments.map((c) => ({
            id: c.id,
            pull_request_review_id: c.reviewId,
            user: { login: c.user, id: 1, type: 'User' },
            body: c.body,
            path: c.path,
            line: c.line,
            original_line: c.line,
            created_at: time,
            updated_at: time,
            html_url: `https://github.com/${repo}/pull/${pr.number}#discussion_r${c.id}`,
          })),
        );
        return send(200, slice, headers);
      }
      return send(200, {
        number: pr.number,
        title: pr.title,
        body: pr.body,
        state: 'open',
        draft: false,
        merged_at: null,
        user: { login: pr.author, id: 1, type: 'User' },
        base: { ref: pr.base, sha: '0'.repeat(40) },
        head: { ref: pr.head, sha: pr.headSha },
        html_url: `https://github.com/${repo}/pull/${pr.number}`,
        additions: pr.files.reduce((n, f) => n + f.additions, 0),
        deletions: pr.files.reduce((n, f) => n + f.deletions, 0),
        changed_files: pr.files.length,
        created_at: time,
        updated_at: time,
      });
    }
    const refPath = /^\/commits\/([0-9a-f]{40})\/(check-runs|status)$/.exec(match);
    if (req.method === 'GET' && refPath) {
      const pr = pulls.find((p) => p.headSha === refPath[1]);
      if (refPath[2] === 'check-runs') {
        const runs = (pr?.checkRuns ?? []).map((r) => ({
          id: r.id,
          name: r.name,
          head_sha: refPath[1],
          status: r.status,
          conclusion: r.conclusion,
          html_url: `https://github.com/${repo}/runs/${r.id}`,
          details_url: null,
          started_at: time,
          completed_at: r.status === 'completed' ? time : null,
          output: { title: r.title, summary: r.summary, text: null, annotations_count: 0 },
        }));
        const { slice, headers } = paged(runs);
        return send(200, { total_count: runs.length, check_runs: slice }, headers);
      }
      const statuses = (pr?.statuses ?? []).map((s, i) => ({
        id: i + 1,
        context: s.context,
        state: s.state,
        description: s.description,
        target_url: null,
        created_at: time,
        updated_at: time,
      }));
      return send(200, {
        state: statuses.every((s) => s.state === 'success') ? 'success' : 'failure',
        sha: refPath[1],
        statuses,
        total_count: statuses.length,
      });
    }
    send(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    token,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
