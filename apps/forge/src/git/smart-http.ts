import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { URL } from 'node:url';
import type { BareRepositories, Branch } from './bare-repos';
import { isValidRepoName } from './bare-repos';

const GIT_PATH = /^\/([^/]+)\/([^/]+)\.git(\/.*)$/;

export interface GitRoute {
  owner: string;
  name: string;
  /** The part after `<name>.git`: `/info/refs`, `/git-upload-pack`, `/git-receive-pack`. */
  rest: string;
}

export function gitRouteOf(url: string | undefined): GitRoute | null {
  const match = GIT_PATH.exec(new URL(url ?? '/', 'http://forge').pathname);
  if (!match || !isValidRepoName(match[1]!) || !isValidRepoName(match[2]!)) return null;
  return { owner: match[1]!, name: match[2]!, rest: match[3]! };
}

export function isPush(route: GitRoute, req: IncomingMessage): boolean {
  return req.method === 'POST' && route.rest === '/git-receive-pack';
}

/**
 * Serves one smart-HTTP request with `git http-backend` as a CGI (clone, fetch, push). The
 * caller has authenticated it; `REMOTE_USER` is set so http-backend allows receive-pack.
 * `beforeEnd` runs once git is done and before the response ends, so a client whose push
 * returned sees what the push caused. Resolves once the response is complete.
 */
export function serveGit(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  remoteUser: string,
  beforeEnd: () => Promise<void> = async () => undefined,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://forge');
  const header = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const optional = (key: string, value: string | undefined) => (value ? { [key]: value } : {});
  const backend = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      REMOTE_USER: remoteUser,
      REMOTE_ADDR: req.socket.remoteAddress ?? '',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: header('content-type') ?? '',
      ...optional('CONTENT_LENGTH', header('content-length')),
      ...optional('HTTP_CONTENT_ENCODING', header('content-encoding')),
      ...optional('GIT_PROTOCOL', header('git-protocol')),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return new Promise((resolve) => {
    let head = Buffer.alloc(0);
    let headersDone = false;
    let stderr = '';
    backend.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    backend.on('error', (err) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`git http-backend failed: ${err.message}\n`);
      resolve();
    });
    backend.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      for (const line of head.subarray(0, end).toString().split('\r\n')) {
        const colon = line.indexOf(':');
        const key = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (key.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
        else res.setHeader(key, value);
      }
      res.writeHead(status);
      res.write(head.subarray(end + 4));
    });
    backend.on('close', (code) => {
      if (!headersDone) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.write(`git http-backend exited ${code}: ${stderr.trim()}\n`);
      }
      void beforeEnd().finally(() => {
        res.end();
        resolve();
      });
    });
    req.pipe(backend.stdin);
    backend.stdin.on('error', () => undefined);
  });
}

/** Branches whose head changed (created or moved; deletions are not pull request updates). */
export function movedBranches(before: Branch[], after: Branch[]): Branch[] {
  const old = new Map(before.map((b) => [b.name, b.sha]));
  return after.filter((b) => old.get(b.name) !== b.sha).map((b) => ({ name: b.name, sha: b.sha }));
}

export async function branchesOrEmpty(repos: BareRepositories, route: GitRoute): Promise<Branch[]> {
  return repos.branches(route.owner, route.name).catch(() => []);
}
