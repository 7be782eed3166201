import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { CatalogScript, loadCatalog, routeTurn, scriptForTitle, ScriptSource, Unrouted } from './catalog';
import { ChatRequest, describeRequest, invalidToolCalls, isTitleRequest, mismatch } from './conversation';
import { defaultTitle, fillScript, loadScript, ModelScript, ModelScriptInput, parseScript } from './script';
import { completionBody, ModelReply, streamChunks } from './wire';

interface CommonOptions {
  /** Values for `{{name}}` placeholders in the script(s), e.g. `{ workdir }`. */
  vars?: Record<string, string>;
  /** Model ids listed by `GET /v1/models`. */
  models?: string[];
  /** 0 (the default) picks a free port. */
  port?: number;
  /**
   * Keep every request in `requests` (the default). A long-lived server turns it off: bodies
   * hold the whole conversation each time.
   */
  keepRequests?: boolean;
  /** Called once each request has been answered, with the failure it was if it was one. */
  onRequest?: (request: RecordedRequest, failure?: ScriptFailure) => void;
}

export type ScriptedModelServerOptions = CommonOptions &
  (
    | {
        /** One script, played in order: the script itself, or a file under `libs/testing/scripts` (or an absolute path). */
        script: ModelScriptInput | string;
        scripts?: never;
      }
    | {
        /**
         * Catalog mode: many scripts, each chosen by its `when` for the conversation at hand,
         * the step by the conversation's length; the server keeps no state between requests.
         */
        scripts: ScriptSource[];
        script?: never;
      }
  );

export type RecordedRequestKind = 'title' | 'step' | 'models' | 'failure';

/** Every request that reached the server, in arrival order. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (undefined for a GET or a body that is not JSON). */
  body?: ChatRequest;
  /** Date.now() when the request's body had arrived. */
  receivedAt: number;
  kind: RecordedRequestKind;
  /** Catalog mode: the script that answered it (or was due, for a failure). */
  script?: string;
  /** Index of the script step that answered it. */
  step?: number;
}

/** A request the script could not answer; the client got HTTP 500 with `message`. */
export interface ScriptFailure {
  requestIndex: number;
  /** Catalog mode: the script chosen, when one was. */
  script?: string;
  /** Index of the step that was due, or -1 when the script had already ended (or none was chosen). */
  step: number;
  expected: string;
  received: string;
  message: string;
}

/** The script and step due for a chat request; `name` only in catalog mode. */
interface Due {
  name?: string;
  script: ModelScript;
  step: number;
}

/**
 * An OpenAI-compatible chat-completions server on 127.0.0.1 that plays a script: each
 * agent request must match the next step, which answers with text and/or tool calls.
 * Title requests are answered on the side. A request that does not fit fails loudly with
 * HTTP 500 and lands in `failures`; every request lands in `requests`.
 *
 * In catalog mode (`scripts`) it serves many conversations at once, each routed to the
 * script whose `when` matches its first user message; see README.md.
 */
export class ScriptedModelServer {
  readonly requests: RecordedRequest[] = [];
  readonly failures: ScriptFailure[] = [];
  /** Single-script mode: the script, played in order. */
  private readonly script?: ModelScript;
  /** Catalog mode: the scripts to choose from. */
  private readonly catalog?: CatalogScript[];
  private readonly models: string[];
  private readonly keepRequests: boolean;
  private readonly onRequest?: CommonOptions['onRequest'];
  private readonly http: Server;
  private nextStep = 0;
  private received = 0;
  private replies = 0;

  private constructor(options: ScriptedModelServerOptions) {
    const vars = options.vars ?? {};
    if (options.scripts !== undefined) {
      this.catalog = loadCatalog(options.scripts, vars);
    } else {
      const script =
        typeof options.script === 'string' ? loadScript(options.script) : parseScript(options.script);
      this.script = fillScript(script, vars);
    }
    this.models = options.models ?? ['scripted'];
    this.keepRequests = options.keepRequests ?? true;
    this.onRequest = options.onRequest;
    this.http = createServer((req, res) => void this.handle(req, res));
  }

  static async start(options: ScriptedModelServerOptions): Promise<ScriptedModelServer> {
    const server = new ScriptedModelServer(options);
    await new Promise<void>((resolve, reject) => {
      server.http.once('error', reject);
      server.http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    return server;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  /** The base URL an OpenAI-compatible client is configured with, ending in `/v1`. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** Requests the script's steps answered (not title requests). */
  get agentRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.kind === 'step');
  }

  /** Catalog mode: how many scripts it serves. */
  get scriptCount(): number {
    return this.catalog?.length ?? 1;
  }

  /** Steps not played yet; 0 once the agent went through the whole script. Single-script mode only. */
  get pendingSteps(): number {
    if (!this.script) {
      throw new Error('pendingSteps has no meaning in catalog mode: look at agentRequests (script, step)');
    }
    return this.script.steps.length - this.nextStep;
  }

  async close(): Promise<void> {
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0]!,
      headers: req.headers,
      body: parseJson(raw),
      receivedAt: Date.now(),
      kind: 'failure',
    };
    const index = this.received++;
    if (this.keepRequests) this.requests.push(record);
    const failure = this.answer(res, record, index, raw);
    this.onRequest?.(record, failure);
  }

  /** Answers one request; returns the failure when it was one. */
  private answer(
    res: ServerResponse,
    record: RecordedRequest,
    index: number,
    raw: string,
  ): ScriptFailure | undefined {
    if (record.method === 'GET' && record.path === '/v1/models') {
      record.kind = 'models';
      sendJson(res, 200, {
        object: 'list',
        data: this.models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'horizon-scripted' })),
      });
      return undefined;
    }
    const body = record.body;
    if (
      record.method !== 'POST' ||
      record.path !== '/v1/chat/completions' ||
      !Array.isArray(body?.messages)
    ) {
      const received = `${record.method} ${record.path} ${raw.slice(0, 200)}`;
      return this.fail(res, index, {
        step: -1,
        expected: 'POST /v1/chat/completions with a JSON body that has messages',
        received,
      });
    }

    if (isTitleRequest(body)) {
      record.kind = 'title';
      const claimed = this.catalog ? scriptForTitle(this.catalog, body) : undefined;
      record.script = claimed?.name;
      const script = this.script ?? claimed?.script;
      return this.reply(res, body, {
        text: script?.title ?? defaultTitle,
        toolCalls: [],
        usage: script?.usage ?? { input: 0, output: 0 },
      });
    }

    const due = this.due(body);
    if ('expected' in due) return this.fail(res, index, { step: -1, ...due });
    const { name, script, step: stepIndex } = due;
    record.script = name;
    const step = script.steps[stepIndex];
    if (!step) {
      return this.fail(res, index, {
        script: name,
        step: -1,
        expected: `no more requests: all ${script.steps.length} steps${name ? ` of ${name}` : ''} were played`,
        received: describeRequest(body),
      });
    }
    const label = `${name ? `${name} ` : ''}step ${stepIndex}${step.name ? ` (${step.name})` : ''}`;
    const why = mismatch(step.match, body);
    if (why)
      return this.fail(res, index, {
        script: name,
        step: stepIndex,
        expected: `${label} to match ${JSON.stringify(step.match)}: ${why}`,
        received: describeRequest(body),
      });
    const calls = step.respond.toolCalls ?? [];
    const invalid = invalidToolCalls(calls, body);
    if (invalid)
      return this.fail(res, index, {
        script: name,
        step: stepIndex,
        expected: `${label} tool calls that fit the offered tools: ${invalid}`,
        received: describeRequest(body),
      });

    if (!this.catalog) this.nextStep += 1;
    record.kind = 'step';
    record.step = stepIndex;
    // Ids must be unique within a conversation; in catalog mode they may not depend on what
    // this process answered before (it may have restarted mid-conversation).
    const idPrefix = this.catalog ? `call_${stepIndex + 1}` : `call_${this.replies + 1}`;
    const toolCalls = calls.map((call, i) => ({ ...call, id: `${idPrefix}_${i}` }));
    return this.reply(res, body, {
      text: step.respond.text,
      toolCalls,
      usage: step.respond.usage ?? script.usage,
    });
  }

  /** The script and step a chat request is for: the next one, or in catalog mode its route. */
  private due(body: ChatRequest): Due | Unrouted {
    if (!this.catalog) return { script: this.script!, step: this.nextStep };
    const turn = routeTurn(this.catalog, body);
    return 'expected' in turn ? turn : { name: turn.entry.name, script: turn.entry.script, step: turn.step };
  }

  private reply(res: ServerResponse, body: ChatRequest, answer: Omit<ModelReply, 'id' | 'model'>): undefined {
    this.replies += 1;
    const reply: ModelReply = {
      ...answer,
      id: `chatcmpl-scripted-${this.replies}`,
      model: body.model ?? this.models[0]!,
    };
    if (!body.stream) {
      sendJson(res, 200, completionBody(reply));
      return undefined;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    for (const chunk of streamChunks(reply, body.stream_options?.include_usage === true)) {
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    }
    res.end('data: [DONE]\n\n');
    return undefined;
  }

  private fail(
    res: ServerResponse,
    requestIndex: number,
    what: Omit<ScriptFailure, 'requestIndex' | 'message'>,
  ): ScriptFailure {
    const message = `Scripted model: expected ${what.expected}; received ${what.received}`;
    const failure: ScriptFailure = { requestIndex, ...what, message };
    this.failures.push(failure);
    sendJson(res, 500, { error: { message, type: 'scripted_model_mismatch', code: 'script_mismatch' } });
    return failure;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(raw: string): ChatRequest | undefined {
  try {
    return raw ? (JSON.parse(raw) as ChatRequest) : undefined;
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
