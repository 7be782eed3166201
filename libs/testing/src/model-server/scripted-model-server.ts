import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ChatRequest, describeRequest, invalidToolCalls, isTitleRequest, mismatch } from './conversation';
import { fillScript, loadScript, ModelScript, ModelScriptInput, parseScript } from './script';
import { completionBody, ModelReply, streamChunks } from './wire';

export interface ScriptedModelServerOptions {
  /** The script itself, or a file under `libs/testing/scripts` (or an absolute path). */
  script: ModelScriptInput | string;
  /** Values for `{{name}}` placeholders in the script, e.g. `{ workdir }`. */
  vars?: Record<string, string>;
  /** Model ids listed by `GET /v1/models`. */
  models?: string[];
  /** 0 (the default) picks a free port. */
  port?: number;
}

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
  /** Index of the script step that answered it. */
  step?: number;
}

/** A request the script could not answer; the client got HTTP 500 with `message`. */
export interface ScriptFailure {
  requestIndex: number;
  /** Index of the step that was due, or -1 when the script had already ended. */
  step: number;
  expected: string;
  received: string;
  message: string;
}

/**
 * An OpenAI-compatible chat-completions server on 127.0.0.1 that plays a script: each
 * agent request must match the next step, which answers with text and/or tool calls.
 * Title requests are answered on the side. A request that does not fit fails loudly with
 * HTTP 500 and lands in `failures`; every request lands in `requests`.
 */
export class ScriptedModelServer {
  readonly requests: RecordedRequest[] = [];
  readonly failures: ScriptFailure[] = [];
  private readonly script: ModelScript;
  private readonly models: string[];
  private readonly http: Server;
  private nextStep = 0;
  private replies = 0;

  private constructor(options: ScriptedModelServerOptions) {
    const script =
      typeof options.script === 'string' ? loadScript(options.script) : parseScript(options.script);
    this.script = fillScript(script, options.vars ?? {});
    this.models = options.models ?? ['scripted'];
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

  /** Steps not played yet; 0 once the agent went through the whole script. */
  get pendingSteps(): number {
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
    const index = this.requests.push(record) - 1;

    if (record.method === 'GET' && record.path === '/v1/models') {
      record.kind = 'models';
      return sendJson(res, 200, {
        object: 'list',
        data: this.models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'horizon-scripted' })),
      });
    }
    const body = record.body;
    if (
      record.method !== 'POST' ||
      record.path !== '/v1/chat/completions' ||
      !Array.isArray(body?.messages)
    ) {
      const received = `${record.method} ${record.path} ${raw.slice(0, 200)}`;
      return this.fail(
        res,
        index,
        -1,
        'POST /v1/chat/completions with a JSON body that has messages',
        received,
      );
    }

    if (isTitleRequest(body)) {
      record.kind = 'title';
      return this.reply(res, body, { text: this.script.title, toolCalls: [], usage: this.script.usage });
    }

    const stepIndex = this.nextStep;
    const step = this.script.steps[stepIndex];
    if (!step) {
      return this.fail(
        res,
        index,
        -1,
        `no more requests: all ${this.script.steps.length} steps were played`,
        describeRequest(body),
      );
    }
    const label = `step ${stepIndex}${step.name ? ` (${step.name})` : ''}`;
    const why = mismatch(step.match, body);
    if (why)
      return this.fail(
        res,
        index,
        stepIndex,
        `${label} to match ${JSON.stringify(step.match)}: ${why}`,
        describeRequest(body),
      );
    const calls = step.respond.toolCalls ?? [];
    const invalid = invalidToolCalls(calls, body);
    if (invalid)
      return this.fail(
        res,
        index,
        stepIndex,
        `${label} tool calls that fit the offered tools: ${invalid}`,
        describeRequest(body),
      );

    this.nextStep += 1;
    record.kind = 'step';
    record.step = stepIndex;
    const toolCalls = calls.map((call, i) => ({ ...call, id: `call_${this.replies + 1}_${i}` }));
    return this.reply(res, body, {
      text: step.respond.text,
      toolCalls,
      usage: step.respond.usage ?? this.script.usage,
    });
  }

  private reply(res: ServerResponse, body: ChatRequest, answer: Omit<ModelReply, 'id' | 'model'>): void {
    this.replies += 1;
    const reply: ModelReply = {
      ...answer,
      id: `chatcmpl-scripted-${this.replies}`,
      model: body.model ?? this.models[0]!,
    };
    if (!body.stream) return sendJson(res, 200, completionBody(reply));
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    for (const chunk of streamChunks(reply, body.stream_options?.include_usage === true)) {
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    }
    res.end('data: [DONE]\n\n');
  }

  private fail(
    res: ServerResponse,
    requestIndex: number,
    step: number,
    expected: string,
    received: string,
  ): void {
    const message = `Scripted model: expected ${expected}; received ${received}`;
    this.failures.push({ requestIndex, step, expected, received, message });
    sendJson(res, 500, { error: { message, type: 'scripted_model_mismatch', code: 'script_mismatch' } });
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
