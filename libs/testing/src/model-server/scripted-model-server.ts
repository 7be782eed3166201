import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  anthropicError,
  anthropicRefusal,
  chatRequestOf,
  type AnthropicRefusal,
  type AnthropicRequest,
} from './anthropic-wire';
import { CatalogScript, loadCatalog, routeTurn, scriptForTitle, ScriptSource, Unrouted } from './catalog';
import { ChatRequest, describeRequest, invalidToolCalls, isTitleRequest, mismatch } from './conversation';
import {
  anthropicWire,
  openAiWire,
  parseJson,
  readBody,
  responsesWire,
  sendJson,
  wireOf,
  type Wire,
} from './http-wire';
import {
  chatRequestOfResponses,
  responsesError,
  responsesRefusal,
  type ResponsesRequest,
} from './responses-wire';
import { defaultTitle, fillScript, loadScript, ModelScript, ModelScriptInput, parseScript } from './script';
import type { RecordedRequest, ScriptFailure } from './records';
import type { ModelReply } from './wire';

export type { RecordedRequest, RecordedRequestKind, ScriptFailure } from './records';

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
  /**
   * The key requests must carry (`x-api-key`, or `Authorization: Bearer`); another is refused
   * with 401 as the provider would. Unset: any key, and for OpenAI's wire none, will do.
   */
  apiKey?: string;
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

/** The script and step due for a chat request; `name` only in catalog mode. */
interface Due {
  name?: string;
  script: ModelScript;
  step: number;
}

/**
 * A model server on 127.0.0.1 (OpenAI's chat completions and Responses API, Anthropic's
 * Messages API) that plays a script: each
 * agent request must match the next step, which answers with text and/or tool calls.
 * Title requests are answered on the side. A request that does not fit fails loudly with
 * HTTP 500 and lands in `failures`; every request lands in `requests`.
 *
 * In catalog mode (`scripts`) it serves many conversations at once, each routed to the
 * script whose `when` matches its first user message; one no script knows gets HTTP 400 (not
 * retried) saying what to do; see README.md.
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
  private readonly apiKey?: string;
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
    this.apiKey = options.apiKey;
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
    const path = (req.url ?? '/').split('?')[0]!;
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      wire: wireOf(path),
      receivedAt: Date.now(),
      kind: 'failure',
    };
    const index = this.received++;
    if (this.keepRequests) this.requests.push(record);
    const failure =
      record.wire === 'anthropic'
        ? this.answerMessages(res, record, index, raw)
        : record.wire === 'openai-responses'
          ? this.answerResponses(res, record, index, raw)
          : this.answerChat(res, record, index, raw);
    this.onRequest?.(record, failure);
  }

  /** OpenAI's wire: `GET /v1/models` and `POST /v1/chat/completions`. */
  private answerChat(
    res: ServerResponse,
    record: RecordedRequest,
    index: number,
    raw: string,
  ): ScriptFailure | undefined {
    if (record.method === 'GET' && record.path === '/v1/models') {
      record.kind = 'models';
      // Both providers list models only for a key: OpenAI's as a Bearer token, Anthropic's as x-api-key.
      const { authorization, 'x-api-key': xApiKey } = record.headers;
      if (this.apiKey !== undefined && authorization !== `Bearer ${this.apiKey}` && xApiKey !== this.apiKey)
        return this.refuseKey(res, index);
      sendJson(res, 200, {
        object: 'list',
        data: this.models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'horizon-scripted' })),
      });
      return undefined;
    }
    const authorization = record.headers.authorization;
    if (this.apiKey !== undefined && authorization !== `Bearer ${this.apiKey}`)
      return this.refuseKey(res, index);
    const body = parseJson(raw) as ChatRequest | undefined;
    if (
      record.method !== 'POST' ||
      record.path !== '/v1/chat/completions' ||
      !Array.isArray(body?.messages)
    ) {
      const received = `${record.method} ${record.path} ${raw.slice(0, 200)}`;
      return this.fail(res, index, openAiWire, {
        step: -1,
        expected:
          'POST /v1/chat/completions with a JSON body that has messages, /v1/messages or /v1/responses',
        received,
      });
    }
    record.body = body;
    return this.play(res, record, index, openAiWire);
  }

  /** Anthropic's wire: `POST /v1/messages`, refused as Anthropic refuses, else played like a chat request. */
  private answerMessages(
    res: ServerResponse,
    record: RecordedRequest,
    index: number,
    raw: string,
  ): ScriptFailure | undefined {
    const sent = parseJson(raw);
    const refusal: AnthropicRefusal | undefined =
      record.method === 'POST'
        ? anthropicRefusal(record.headers, sent, this.apiKey)
        : { status: 400, type: 'invalid_request_error', message: `${record.method} is not allowed here` };
    if (refusal) {
      const what = { step: -1, expected: 'a Messages request Anthropic accepts', received: refusal.message };
      return this.refuse(res, index, what, refusal.status, anthropicError(refusal.type, refusal.message));
    }
    record.anthropicBody = sent as AnthropicRequest;
    record.body = chatRequestOf(record.anthropicBody);
    return this.play(res, record, index, anthropicWire);
  }

  /** OpenAI's Responses API: `POST /v1/responses`, refused as OpenAI refuses, else played like a chat request. */
  private answerResponses(
    res: ServerResponse,
    record: RecordedRequest,
    index: number,
    raw: string,
  ): ScriptFailure | undefined {
    if (this.apiKey !== undefined && record.headers.authorization !== `Bearer ${this.apiKey}`)
      return this.refuseKey(res, index);
    const sent = parseJson(raw);
    const refusal = responsesRefusal(record.method, sent);
    if (refusal) {
      const what = { step: -1, expected: 'a Responses request OpenAI accepts', received: refusal.message };
      return this.refuse(res, index, what, 400, responsesError(refusal.message, refusal.param, refusal.code));
    }
    record.responsesBody = sent as ResponsesRequest;
    record.body = chatRequestOfResponses(record.responsesBody);
    return this.play(res, record, index, responsesWire);
  }

  /** Answers a chat request (any wire's, as chat completions) from the script. */
  private play(
    res: ServerResponse,
    record: RecordedRequest,
    index: number,
    wire: Wire,
  ): ScriptFailure | undefined {
    const body = record.body!;
    if (isTitleRequest(body)) {
      record.kind = 'title';
      const claimed = this.catalog ? scriptForTitle(this.catalog, body) : undefined;
      record.script = claimed?.name;
      const script = this.script ?? claimed?.script;
      return this.reply(res, record, wire, {
        text: script?.title ?? defaultTitle,
        toolCalls: [],
        usage: script?.usage ?? { input: 0, output: 0, cached: 0, cacheWrite: 0 },
      });
    }
    const due = this.due(body);
    if ('refusal' in due && due.refusal)
      return this.refuse(res, index, { ...due, step: -1 }, 400, wire.refusalBody(due.refusal));
    if ('expected' in due) return this.fail(res, index, wire, { step: -1, ...due });
    const { name, script, step: stepIndex } = due;
    record.script = name;
    const step = script.steps[stepIndex];
    if (!step) {
      return this.fail(res, index, wire, {
        script: name,
        step: -1,
        expected: `no more requests: all ${script.steps.length} steps${name ? ` of ${name}` : ''} were played`,
        received: describeRequest(body),
      });
    }
    const label = `${name ? `${name} ` : ''}step ${stepIndex}${step.name ? ` (${step.name})` : ''}`;
    const why = mismatch(step.match, body);
    if (why)
      return this.fail(res, index, wire, {
        script: name,
        step: stepIndex,
        expected: `${label} to match ${JSON.stringify(step.match)}: ${why}`,
        received: describeRequest(body),
      });
    const calls = step.respond.toolCalls ?? [];
    const invalid = invalidToolCalls(calls, body);
    if (invalid)
      return this.fail(res, index, wire, {
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
    return this.reply(res, record, wire, {
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

  private reply(
    res: ServerResponse,
    record: RecordedRequest,
    wire: Wire,
    answer: Omit<ModelReply, 'id' | 'model'>,
  ): undefined {
    this.replies += 1;
    record.usage = answer.usage;
    wire.send(res, record, {
      ...answer,
      id: `${wire.replyIdPrefix}${this.replies}`,
      model: record.body!.model ?? this.models[0]!,
    });
    return undefined;
  }

  /** A request the script cannot answer: HTTP 500 in the wire's error shape. */
  private fail(
    res: ServerResponse,
    requestIndex: number,
    wire: Wire,
    what: Omit<ScriptFailure, 'requestIndex' | 'message'>,
  ): ScriptFailure {
    const failure = this.recordFailure(requestIndex, what);
    sendJson(res, 500, wire.mismatchBody(failure.message));
    return failure;
  }

  /** OpenAI's answer to a missing or wrong key. */
  private refuseKey(res: ServerResponse, index: number): ScriptFailure {
    const message = 'Incorrect API key provided';
    const what = { step: -1, expected: 'the configured key', received: message };
    return this.refuse(res, index, what, 401, responsesError(message, null, 'invalid_api_key'));
  }

  /** A request the provider itself would refuse: its status and error body. */
  private refuse(
    res: ServerResponse,
    requestIndex: number,
    what: Omit<ScriptFailure, 'requestIndex' | 'message'>,
    status: number,
    body: unknown,
  ): ScriptFailure {
    const failure = this.recordFailure(requestIndex, what);
    sendJson(res, status, body);
    return failure;
  }

  private recordFailure(
    requestIndex: number,
    what: Omit<ScriptFailure, 'requestIndex' | 'message'>,
  ): ScriptFailure {
    const message = `Scripted model: expected ${what.expected}; received ${what.received}`;
    const failure: ScriptFailure = { requestIndex, ...what, message };
    this.failures.push(failure);
    return failure;
  }
}
