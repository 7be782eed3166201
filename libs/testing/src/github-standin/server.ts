import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import { verifyAppJwt } from './app-jwt';
import { GitHubJson } from './json';
import { GitHubModel, Installation, Permissions, Repository, Review, User } from './model';
import { OAuthEndpoints } from './oauth';
import { githubOpenApi, MatchedOperation } from './openapi';
import { CheckRoutes } from './check-routes';
import { GitHubError, Principal, Reply } from './route-types';
import { RepoRoutes } from './routes';

export interface GitHubStandInApp {
  id: number;
  slug: string;
  /** The bot account the app acts as: `<slug>[bot]`. */
  botLogin: string;
  botId: number;
  clientId: string;
  clientSecret: string;
  /** PEM: what a deployment would put in GITHUB_APP_PRIVATE_KEY. */
  privateKey: string;
}

export interface GitHubStandIn {
  /** The REST API root, what GITHUB_API_URL would be. */
  url: string;
  app: GitHubStandInApp;
  /** Everything created so far, to assert on. */
  model: GitHubModel;
  seedUser(login: string, name?: string): User;
  seedRepo(repo: {
    owner: string;
    name: string;
    defaultBranch?: string;
    collaborators?: string[];
  }): Repository;
  seedInstallation(installation: {
    account: string;
    repositories: string[];
    permissions: Permissions;
  }): Installation;
  /** A branch as if pushed, with the diff its pull request will show. */
  pushBranch(fullName: string, branch: string, head: { sha: string; diff?: string }): void;
  /**
   * Merges a pull request as if through GitHub's page: its base moves, and each other open PR
   * on that base reads `mergeable: null` for `pendingAsks` reads (default 1), then conflicting
   * if listed in `conflicting`, else clean. GitHub sends no webhook for that.
   */
  mergePull(fullName: string, number: number, effect: { conflicting: number[]; pendingAsks?: number }): void;
  seedReview(
    fullName: string,
    pullNumber: number,
    review: Omit<Review, 'id' | 'repo' | 'pullNumber' | 'comments'> & {
      comments: { path: string; line: number; body: string }[];
    },
  ): Review;
  /** The user who approves the next OAuth authorization (`null`: nobody signed in). */
  signInAs(login: string | null): void;
  setUserTokenLifetime(seconds: number): void;
  close(): Promise<void>;
}

/** A GitHub for tests, on 127.0.0.1; docs/identity.md says what it checks. */
export async function startGitHubStandIn(
  options: { appId?: number; slug?: string } = {},
): Promise<GitHubStandIn> {
  const openapi = githubOpenApi();
  const model = new GitHubModel();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const slug = options.slug ?? 'horizon-test';
  const bot = model.user(`${slug}[bot]`, null, 'Bot');
  const app: GitHubStandInApp = {
    id: options.appId ?? 4242,
    slug,
    botLogin: bot.login,
    botId: bot.id,
    clientId: `Iv23li${model.id()}`,
    clientSecret: `secret-${model.id()}`,
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  };
  const oauth = new OAuthEndpoints(model, app, {
    signedInAs: null,
    userTokenLifetimeSeconds: 8 * 3600,
    refreshTokenLifetimeSeconds: 184 * 24 * 3600,
  });
  const server = createServer((req, res) => {
    void handle(req, res).catch((err: Error) => send(res, 500, { message: err.message }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const record = (status: number, auth: Principal['kind'] | 'invalid') =>
      model.requests.push({ method: req.method ?? 'GET', path: url.pathname, status, auth });

    if (url.pathname === '/login/oauth/authorize' && req.method === 'GET') {
      const answer = oauth.authorize(url.searchParams);
      record(answer.status, 'none');
      res.writeHead(
        answer.status,
        answer.location ? { location: answer.location } : { 'content-type': 'text/plain' },
      );
      res.end(answer.text ?? '');
      return;
    }
    if (url.pathname === '/login/oauth/access_token' && req.method === 'POST') {
      const form = (req.headers['content-type'] ?? '').includes('json')
        ? (JSON.parse(raw || '{}') as Record<string, unknown>)
        : Object.fromEntries(new URLSearchParams(raw));
      record(200, 'none');
      send(res, 200, oauth.accessToken(form));
      return;
    }

    const blob = checks.blob(url);
    if (blob !== null) {
      record(blob === undefined ? 404 : 200, 'none');
      res.writeHead(blob === undefined ? 404 : 200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(blob ?? 'The specified blob does not exist.');
      return;
    }
    const op = openapi.match(req.method ?? 'GET', url.pathname);
    const fail = (
      status: number,
      message: string,
      auth: Principal['kind'] | 'invalid',
      documentationUrl: string,
      errors?: object[],
    ) => {
      record(status, auth);
      send(res, status, {
        message,
        ...(errors ? { errors } : {}),
        documentation_url: documentationUrl,
        status: String(status),
      });
    };
    if ('status' in op) return fail(op.status, op.message, 'none', 'https://docs.github.com/rest');
    const principal = authenticate(req.headers.authorization);
    if ('error' in principal) return fail(401, principal.error, 'invalid', 'https://docs.github.com/rest');
    let body: unknown;
    if (raw.length) {
      try {
        body = JSON.parse(raw);
      } catch {
        return fail(400, 'Problems parsing JSON', principal.kind, op.documentationUrl);
      }
    }
    const invalid = openapi.validate(op, url.searchParams, body);
    if (invalid) return fail(invalid.status, invalid.message, principal.kind, op.documentationUrl);
    const handler = routes.handlers[op.operationId] ?? checks.handlers[op.operationId];
    if (!handler)
      return fail(
        501,
        `the GitHub stand-in does not serve ${op.operationId}`,
        principal.kind,
        op.documentationUrl,
      );
    let reply: Reply;
    try {
      reply = handler({
        op: op as MatchedOperation,
        query: url.searchParams,
        body: (body ?? {}) as Record<string, unknown>,
        principal,
        accept: req.headers.accept ?? '',
      });
    } catch (err) {
      if (!(err instanceof GitHubError)) throw err;
      return fail(err.status, err.message, principal.kind, op.documentationUrl, err.errors);
    }
    record(reply.status, principal.kind);
    if (reply.headers) {
      res.writeHead(reply.status, reply.headers);
      res.end();
    } else if (reply.text !== undefined) {
      res.writeHead(reply.status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(reply.text);
    } else if (reply.json === undefined) {
      res.writeHead(reply.status);
      res.end();
    } else send(res, reply.status, reply.json);
  }

  /** Bearer JWT → the app; `token`/`Bearer` token → what it was issued for; expired or unknown → 401. */
  function authenticate(header: string | undefined): Principal | { error: string } {
    if (!header) return { kind: 'none' };
    const credential = header.replace(/^(bearer|token)\s+/i, '');
    if (credential.split('.').length === 3) {
      const verdict = verifyAppJwt(credential, { id: app.id, clientId: app.clientId, publicKey });
      return verdict.ok ? { kind: 'app' } : { error: verdict.message };
    }
    const grant = model.tokens.get(credential);
    if (!grant || (grant.expiresAt && grant.expiresAt < new Date())) return { error: 'Bad credentials' };
    return grant.kind === 'installation'
      ? { kind: 'installation', token: credential, grant }
      : { kind: 'user', token: credential, login: grant.login };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Requests only arrive once listen() resolved, so handle() never sees these uninitialized.
  const json = new GitHubJson(model, baseUrl);
  const routes = new RepoRoutes(model, json, app);
  const checks = new CheckRoutes(model, json, baseUrl, (ctx, permission) =>
    routes.requireRepo(ctx, permission, 'read'),
  );

  return {
    url: baseUrl,
    app,
    model,
    seedUser: (login, name) => model.user(login, name ?? null),
    seedRepo: (r) => {
      model.user(r.owner);
      const defaultBranch = r.defaultBranch ?? 'main';
      const repo: Repository = {
        id: model.id(),
        owner: r.owner,
        name: r.name,
        defaultBranch,
        collaborators: new Set((r.collaborators ?? []).map((c) => c.toLowerCase())),
        branches: new Map([[defaultBranch, { sha: fakeSha(model.id()), diff: '' }]]),
      };
      for (const c of r.collaborators ?? []) model.user(c);
      model.repos.set(`${r.owner}/${r.name}`.toLowerCase(), repo);
      return repo;
    },
    seedInstallation: (i) => {
      model.user(i.account);
      const installation = {
        id: model.id(),
        account: i.account,
        repositories: new Set(i.repositories),
        permissions: i.permissions,
      };
      model.installations.set(installation.id, installation);
      return installation;
    },
    pushBranch: (fullName, branch, head) => {
      const repo = model.repo(fullName);
      if (!repo) throw new Error(`no repository ${fullName} in the stand-in`);
      repo.branches.set(branch, { sha: head.sha, diff: head.diff ?? '' });
    },
    mergePull: (name, number, effect) => {
      const repo = model.repo(name);
      const pr = model.pulls.find((p) => p.repo === name.toLowerCase() && p.number === number);
      if (!repo || !pr) throw new Error(`no pull request ${name}#${number} in the stand-in`);
      Object.assign(pr, { state: 'closed', merged: true, updatedAt: new Date() });
      repo.branches.set(pr.base, { sha: fakeSha(model.id()), diff: '' });
      for (const other of model.pulls.filter(
        (p) => p.repo === pr.repo && p.base === pr.base && p.state === 'open',
      ))
        other.mergeability = {
          pendingAsks: effect.pendingAsks ?? 1,
          conflicting: effect.conflicting.includes(other.number),
        };
    },
    seedReview: (fullName, pullNumber, r) => {
      const review: Review = {
        ...r,
        id: model.id(),
        repo: fullName.toLowerCase(),
        pullNumber,
        comments: r.comments.map((c) => ({ ...c, id: model.id() })),
      };
      model.user(r.reviewer);
      model.reviews.push(review);
      return review;
    },
    signInAs: (login) => {
      oauth.settings.signedInAs = login;
    },
    setUserTokenLifetime: (seconds) => {
      oauth.settings.userTokenLifetimeSeconds = seconds;
    },
    close: () => new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function fakeSha(seed: number): string {
  return seed.toString(16).padStart(40, '0');
}
