import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { chmod, rm } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import {
  decideConnect,
  decideGit,
  decideHttp,
  decideMcp,
  decideModel,
  decideRefUpdates,
  type Decision,
  type EgressCredentials,
  type EgressStats,
  type FlavourPolicy,
  type GitService,
  type ModelGate,
  type PreviewRoute,
  type RunScope,
} from './policy';
import { forwardedHeaders } from './headers';
import { modelRouteHeaders, upstreamModelUrl } from './model-route';
import { ModelUsageMeter, type ModelUsage } from './model-usage';
import { parseReceivePackCommands } from './receive-pack';
import { EgressRequestLog, type EgressLogEntry } from './request-log';
import { openTunnel } from './tunnel';

export interface EgressProxyOptions {
  /** Unix socket the proxy listens on; bound into the sandbox. */
  socketPath: string;
  policy: FlavourPolicy;
  run: RunScope;
  credentials: EgressCredentials;
  logFile: string;
  /** Port the in-sandbox forwarder exposes, so absolute-form requests to it reach the routes. */
  insidePort: number;
  /**
   * Told once per model request, when its response has ended or was cut off, with the usage
   * the provider reported in it: the run's accounting starts here, where no agent can lie.
   */
  onModelUsage?: (usage: ModelRequestUsage) => void;
  /** Asked before each model request goes upstream, which waits for it; refused: 403 with the reason. */
  modelGate?: ModelGate;
  /** Plain HTTP to `http://<host>/…` goes to this socket, whatever the policy allows otherwise. */
  preview?: PreviewRoute;
}

/** One model request as the proxy saw it: the provider's usage and the HTTP status. */
export interface ModelRequestUsage extends ModelUsage {
  status: number;
}

type LogDraft = Omit<EgressLogEntry, 'time' | 'status' | 'bytesIn' | 'bytesOut'>;

const gitRoute =
  /^\/_horizon\/git\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)\.git\/(info\/refs|git-upload-pack|git-receive-pack)$/;
const modelRoute = /^\/_horizon\/model(\/.*)$/;
const mcpRoute = /^\/_horizon\/mcp(\/.*)?$/;

/**
 * The sandbox's one way out (DESIGN §6): a forward proxy (CONNECT and plain HTTP) limited to the
 * flavour's allowlist, routes that add the run's credentials for git and the model provider, one
 * to mcp-context (the agent authorizes itself), and a verify sandbox's preview of another sandbox.
 * Every request is logged; the run has a request and byte budget.
 */
export class EgressProxy {
  private readonly server = http.createServer();
  private readonly log: EgressRequestLog;
  private readonly counters: EgressStats = { requests: 0, bytes: 0, refused: 0 };
  private readonly openSockets = new Set<net.Socket>();

  constructor(private readonly options: EgressProxyOptions) {
    this.log = new EgressRequestLog(options.logFile);
    this.server.on('request', (req, res) => this.onRequest(req, res));
    this.server.on('connect', (req, socket: net.Socket, head) => this.onConnect(req, socket, head));
    this.server.on('connection', (socket: net.Socket) => {
      this.openSockets.add(socket);
      socket.on('close', () => this.openSockets.delete(socket));
    });
  }

  async start(): Promise<void> {
    await rm(this.options.socketPath, { force: true });
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.socketPath, () => resolve());
    });
    // The sandbox runs as an unprivileged uid; only this sandbox's mount can see the socket.
    await chmod(this.options.socketPath, 0o666);
  }

  async stop(): Promise<void> {
    for (const socket of this.openSockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.log.close();
    await rm(this.options.socketPath, { force: true });
  }

  stats(): EgressStats {
    return { ...this.counters };
  }

  private budget(): Decision {
    const { maxRequests, maxBytes } = this.options.policy.limits;
    if (this.counters.requests > maxRequests)
      return { allowed: false, reason: `request limit ${maxRequests} reached` };
    if (this.counters.bytes > maxBytes) return { allowed: false, reason: `byte limit ${maxBytes} reached` };
    return { allowed: true };
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    this.counters.requests += 1;
    const method = req.method ?? 'GET';
    const target = this.routeTarget(req.url ?? '/');
    const budget = this.budget();
    if (!budget.allowed)
      return this.refuse(
        req,
        res,
        429,
        { kind: 'http', method, host: '-', path: req.url ?? '' },
        budget.reason,
      );

    if (target.route) {
      const git = gitRoute.exec(target.path.pathname);
      if (git) return this.onGit(req, res, git[1]!, git[2]!, git[3]!, target.path.search);
      const model = modelRoute.exec(target.path.pathname);
      if (model) return this.onModel(req, res, model[1]! + target.path.search);
      const mcp = mcpRoute.exec(target.path.pathname);
      if (mcp) return this.onMcp(req, res, (mcp[1] ?? '') + target.path.search);
      return this.refuse(
        req,
        res,
        404,
        { kind: 'http', method, host: 'horizon', path: target.path.pathname },
        'no such route',
      );
    }
    const url = target.url;
    if (url.protocol === 'http:' && url.port === '' && this.isPreviewHost(url.hostname))
      return this.onPreview(req, res, url);
    const port = Number(url.port || 80);
    const draft: LogDraft = { kind: 'http', method, host: `${url.hostname}:${port}`, path: url.pathname };
    if (url.protocol !== 'http:')
      return this.refuse(req, res, 400, draft, `unsupported scheme ${url.protocol}`);
    const decision = decideHttp(this.options.policy, {
      method,
      host: url.hostname,
      port,
      path: url.pathname,
    });
    if (!decision.allowed) return this.refuse(req, res, 403, draft, decision.reason);
    this.forward(req, res, draft, url, forwardedHeaders(req.headers), req);
  }

  private isPreviewHost(hostname: string): boolean {
    return hostname.toLowerCase() === this.options.preview?.host.toLowerCase();
  }

  /**
   * The preview goes to the other sandbox as the browser asked for it: its Host (taken from the
   * URL) and Authorization are the app's own, not credentials of ours.
   */
  private onPreview(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const { host, socketPath } = this.options.preview!;
    const draft: LogDraft = { kind: 'preview', method: req.method ?? 'GET', host, path: url.pathname };
    const headers = forwardedHeaders(req.headers);
    if (req.headers.authorization) headers.authorization = req.headers.authorization;
    this.forward(req, res, draft, url, headers, req, { socketPath });
  }

  /** Origin-form requests and absolute-form requests to the forwarder itself go to the routes. */
  private routeTarget(rawUrl: string): { route: true; path: URL } | { route: false; url: URL } {
    if (rawUrl.startsWith('/')) return { route: true, path: new URL(rawUrl, 'http://horizon') };
    const url = new URL(rawUrl);
    const self =
      ['127.0.0.1', 'localhost'].includes(url.hostname) && Number(url.port) === this.options.insidePort;
    return self ? { route: true, path: url } : { route: false, url };
  }

  private onGit(
    req: IncomingMessage,
    res: ServerResponse,
    owner: string,
    repo: string,
    endpoint: string,
    search: string,
  ): void {
    const method = req.method ?? 'GET';
    const draft: LogDraft = {
      kind: 'git',
      method,
      host: 'forge',
      path: `/${owner}/${repo}.git/${endpoint}${search}`,
    };
    const credentials = this.options.credentials.git;
    if (!credentials) return this.refuse(req, res, 503, draft, 'no git credentials configured');
    const service = endpoint === 'info/refs' ? new URLSearchParams(search).get('service') : endpoint;
    if (service !== 'git-upload-pack' && service !== 'git-receive-pack') {
      return this.refuse(req, res, 403, draft, 'only smart-HTTP git is proxied');
    }
    const decision = decideGit(this.options.policy, this.options.run, {
      owner,
      repo,
      service: service as GitService,
    });
    if (!decision.allowed) return this.refuse(req, res, 403, draft, decision.reason);

    const url = new URL(
      `${credentials.upstream.replace(/\/$/, '')}/${owner}/${repo}.git/${endpoint}${search}`,
    );
    draft.host = url.host;
    const headers = forwardedHeaders(req.headers);
    headers.authorization = `Basic ${Buffer.from(`x-access-token:${credentials.token}`).toString('base64')}`;
    if (endpoint !== 'git-receive-pack') return this.forward(req, res, draft, url, headers, req);
    if (req.headers['content-encoding'] && req.headers['content-encoding'] !== 'identity') {
      return this.refuse(req, res, 415, draft, 'compressed push bodies cannot be inspected');
    }
    this.inspectPush(req, res, draft, url, headers);
  }

  /** Holds back the body until its ref-update commands are read and allowed. */
  private inspectPush(
    req: IncomingMessage,
    res: ServerResponse,
    draft: LogDraft,
    url: URL,
    headers: IncomingHttpHeaders,
  ): void {
    let prefix = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      prefix = Buffer.concat([prefix, chunk]);
      const parsed = parseReceivePackCommands(prefix);
      if (parsed.state === 'incomplete') return;
      req.off('data', onData);
      req.off('end', onEnd);
      req.pause();
      const decision =
        parsed.state === 'complete'
          ? decideRefUpdates(this.options.run, parsed.refs)
          : { allowed: false as const, reason: parsed.reason };
      if (!decision.allowed) return this.refuse(req, res, 403, draft, decision.reason);
      const body = new PassThrough();
      body.write(prefix);
      req.pipe(body);
      req.resume();
      this.forward(req, res, draft, url, headers, body);
    };
    const onEnd = (): void => this.refuse(req, res, 400, draft, 'push body ended before its commands');
    req.on('data', onData);
    req.on('end', onEnd);
  }

  private onModel(req: IncomingMessage, res: ServerResponse, pathAndQuery: string): void {
    const method = req.method ?? 'GET';
    const draft: LogDraft = { kind: 'model', method, host: 'model', path: pathAndQuery.split('?')[0]! };
    const credentials = this.options.credentials.model;
    if (!credentials) return this.refuse(req, res, 503, draft, 'no model credentials configured');
    const decision = decideModel(this.options.policy);
    if (!decision.allowed) return this.refuse(req, res, 403, draft, decision.reason);
    // The body stays unread (paused) while the gate decides; a client gone meanwhile is let go.
    (this.options.modelGate ?? allowAll)().then(
      (answer) => {
        if (res.destroyed || req.destroyed) return;
        if (!answer.allowed) return this.refuse(req, res, 403, draft, answer.reason);
        this.forwardModel(req, res, draft, credentials, pathAndQuery);
      },
      (error: Error) => this.refuse(req, res, 503, draft, `model gate failed: ${error.message}`),
    );
  }

  private forwardModel(
    req: IncomingMessage,
    res: ServerResponse,
    draft: LogDraft,
    credentials: NonNullable<EgressCredentials['model']>,
    pathAndQuery: string,
  ): void {
    const url = upstreamModelUrl(credentials.baseUrl, pathAndQuery);
    draft.host = url.host;
    const headers = modelRouteHeaders(
      credentials.provider ?? 'openai-compatible',
      forwardedHeaders(req.headers),
      credentials.apiKey,
    );
    this.forward(req, res, draft, url, headers, req, { observe: (response) => this.meter(response) });
  }

  private meter(response: IncomingMessage): void {
    const meter = new ModelUsageMeter(response.headers['content-type']);
    response.on('data', (chunk: Buffer) => meter.observe(chunk));
    // 'close' also follows a cut-off stream: the tokens the provider reported so far still count.
    response.once('close', () =>
      this.options.onModelUsage?.({ ...meter.finish(), status: response.statusCode ?? 502 }),
    );
  }

  /** The agent's own bearer run token goes through unchanged: mcp-context checks it on every call. */
  private onMcp(req: IncomingMessage, res: ServerResponse, pathAndQuery: string): void {
    const method = req.method ?? 'GET';
    const draft: LogDraft = { kind: 'mcp', method, host: 'mcp', path: pathAndQuery.split('?')[0] || '/' };
    const upstream = this.options.credentials.mcp;
    if (!upstream) return this.refuse(req, res, 503, draft, 'no mcp-context configured');
    const decision = decideMcp(this.options.policy);
    if (!decision.allowed) return this.refuse(req, res, 403, draft, decision.reason);
    const base = new URL(upstream.url);
    const url = new URL(`${base.origin}${base.pathname.replace(/\/$/, '')}${pathAndQuery}`);
    draft.host = url.host;
    const headers = forwardedHeaders(req.headers);
    if (req.headers.authorization) headers.authorization = req.headers.authorization;
    this.forward(req, res, draft, url, headers, req);
  }

  private forward(
    req: IncomingMessage,
    res: ServerResponse,
    draft: LogDraft,
    url: URL,
    headers: IncomingHttpHeaders,
    body: Readable,
    { observe, socketPath }: { observe?: (response: IncomingMessage) => void; socketPath?: string } = {},
  ): void {
    let bytesOut = 0;
    let bytesIn = 0;
    let status = 502;
    const client = url.protocol === 'https:' ? https : http;
    const upstream = client.request(url, { method: req.method, headers, socketPath }, (response) => {
      status = response.statusCode ?? 502;
      res.writeHead(status, forwardedHeaders(response.headers));
      observe?.(response);
      response.on('data', (chunk: Buffer) => {
        bytesIn += chunk.length;
        this.counters.bytes += chunk.length;
        if (this.counters.bytes > this.options.policy.limits.maxBytes) response.destroy();
      });
      response.pipe(res);
    });
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`upstream error: ${error.message}\n`);
    });
    body.on('data', (chunk: Buffer) => {
      bytesOut += chunk.length;
      this.counters.bytes += chunk.length;
    });
    body.pipe(upstream);
    res.on('close', () => {
      upstream.destroy();
      this.log.write({ ...draft, status, bytesIn, bytesOut });
    });
  }

  private onConnect(req: IncomingMessage, client: net.Socket, head: Buffer): void {
    this.counters.requests += 1;
    const authority = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(req.url ?? '');
    const draft: LogDraft = { kind: 'connect', method: 'CONNECT', host: req.url ?? '', path: '' };
    const finish = (status: number, bytesIn: number, bytesOut: number, refused?: string): void => {
      if (refused !== undefined) this.counters.refused += 1;
      this.log.write({ ...draft, status, bytesIn, bytesOut, ...(refused === undefined ? {} : { refused }) });
    };
    const budget = this.budget();
    const decision = !authority
      ? { allowed: false as const, reason: 'malformed CONNECT target' }
      : !budget.allowed
        ? budget
        : this.isPreviewHost(authority[1]!)
          ? { allowed: false as const, reason: 'the preview is reached over plain HTTP only' }
          : decideConnect(this.options.policy, authority[1]!, Number(authority[2]));
    if (!decision.allowed) {
      client.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\n${decision.reason}\n`);
      return finish(403, 0, 0, decision.reason);
    }
    const countBytes = (bytes: number): boolean => {
      this.counters.bytes += bytes;
      return this.counters.bytes <= this.options.policy.limits.maxBytes;
    };
    openTunnel(client, head, { host: authority![1]!, port: Number(authority![2]) }, countBytes, (end) =>
      finish(end.established ? 200 : 502, end.bytesIn, end.bytesOut),
    );
  }

  private refuse(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    draft: LogDraft,
    reason: string,
  ): void {
    this.counters.refused += 1;
    req.resume();
    if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' });
    res.end(`horizon egress: ${reason}\n`);
    this.log.write({ ...draft, status, bytesIn: 0, bytesOut: 0, refused: reason });
  }
}

const allowAll: ModelGate = async () => ({ allowed: true });
