import type {
  Response,
  ResponseFunctionToolCall,
  ResponseOutputMessage,
  ResponseStreamEvent,
  ResponseUsage,
} from 'openai/resources/responses/responses';
import type { ChatMessage, ChatRequest, ChatTool } from './conversation';
import { pieces, type ModelReply } from './wire';

/**
 * OpenAI's Responses API (`POST /v1/responses`) as the scripted server speaks it: requests
 * are checked the way the API checks them and turned into the chat-completions shape the
 * scripts match against; answers go out as a Response, or as the SSE events a streamed
 * Response is made of. Shapes from the `openai` package's types; Codex is the client.
 */

type Json = Record<string, unknown>;

/** The parts of a Responses request body the server reads. */
export interface ResponsesRequest {
  model: string;
  input: string | Json[];
  instructions?: string | null;
  stream?: boolean;
  tools?: Json[];
  parallel_tool_calls?: boolean;
}

/** A Response as it travels: `output_text` is the SDK's own convenience, not on the wire. */
export type WireResponse = Omit<Response, 'output_text'>;

/** OpenAI's error body for a request it refuses (400). */
export function responsesError(message: string, param: string | null, code: string | null): Json {
  return { error: { message, type: 'invalid_request_error', param, code } };
}

export interface ResponsesRefusal {
  message: string;
  param: string | null;
  code: string | null;
}

const typeName = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'an array'
      : typeof value === 'number'
        ? Number.isInteger(value)
          ? 'an integer'
          : 'a decimal'
        : typeof value === 'object'
          ? 'an object'
          : `a ${typeof value}`;

const invalidType = (param: string, expected: string, value: unknown): ResponsesRefusal => ({
  message: `Invalid type for '${param}': expected ${expected}, but got ${typeName(value)} instead.`,
  param,
  code: 'invalid_type',
});

const missing = (param: string): ResponsesRefusal => ({
  message: `Missing required parameter: '${param}'.`,
  param,
  code: 'missing_required_parameter',
});

/**
 * Why OpenAI would refuse this request, or undefined: not a POST, a body that is not a JSON object, a
 * missing or mistyped `model` or `input`, a mistyped `stream`, `instructions` or `tools`, an
 * input item without a type, or a `function_call_output` that answers no `function_call`
 * given before it (with `store: false` the call must be in the input).
 */
export function responsesRefusal(method: string, body: unknown): ResponsesRefusal | undefined {
  if (method !== 'POST')
    return { message: `Invalid method for URL (${method} /v1/responses)`, param: null, code: null };
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return {
      message:
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
      param: null,
      code: null,
    };
  const request = body as Json;
  if (request.model === undefined) return missing('model');
  if (typeof request.model !== 'string') return invalidType('model', 'a string', request.model);
  if (request.input === undefined) return missing('input');
  if (typeof request.input !== 'string' && !Array.isArray(request.input))
    return invalidType('input', 'one of a string or array of input items', request.input);
  if (request.stream !== undefined && request.stream !== null && typeof request.stream !== 'boolean')
    return invalidType('stream', 'a boolean', request.stream);
  if (request.instructions != null && typeof request.instructions !== 'string')
    return invalidType('instructions', 'a string', request.instructions);
  if (request.tools !== undefined && !Array.isArray(request.tools))
    return invalidType('tools', 'an array', request.tools);
  return Array.isArray(request.input) ? invalidItem(request.input as unknown[]) : undefined;
}

function invalidItem(items: unknown[]): ResponsesRefusal | undefined {
  const calls = new Set<unknown>();
  for (const [i, item] of items.entries()) {
    if (!item || typeof item !== 'object' || Array.isArray(item))
      return invalidType(`input[${i}]`, 'an input item object', item);
    const { type, role, call_id: callId } = item as Json;
    if (type === undefined && role === undefined) return missing(`input[${i}].type`);
    if (type === 'function_call') calls.add(callId);
    if (type === 'function_call_output' && !calls.has(callId))
      return {
        message: `No tool call found for function call output with call_id ${String(callId)}.`,
        param: 'input',
        code: null,
      };
  }
  return undefined;
}

/** The text of a message's content: a string, or its `input_text` / `output_text` parts. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return (content as Json[])
    .filter((part) => part?.type === 'input_text' || part?.type === 'output_text')
    .map((part) => String(part.text ?? ''))
    .join('');
}

/**
 * The request as chat completions would carry it, so one script serves every wire:
 * `instructions` and `developer`/`system` messages become system messages, an assistant's
 * message and the function calls that follow it one assistant message with `tool_calls`
 * (one answer of the model, as `assistantTurns` counts them), and each
 * `function_call_output` a `tool` message. Reasoning items carry nothing a script reads.
 */
export function chatRequestOfResponses(request: ResponsesRequest): ChatRequest {
  const messages: ChatMessage[] = request.instructions
    ? [{ role: 'system', content: request.instructions }]
    : [];
  const items: Json[] =
    typeof request.input === 'string'
      ? [{ type: 'message', role: 'user', content: request.input }]
      : request.input;
  for (const item of items) {
    const type = item.type ?? 'message';
    if (type === 'message') {
      const role = item.role === 'developer' ? 'system' : String(item.role);
      messages.push({ role, content: contentText(item.content) });
    } else if (type === 'function_call') {
      const name = item.namespace
        ? `${String(item.namespace)}${NAMESPACE_JOIN}${String(item.name)}`
        : item.name;
      const call = { id: item.call_id, type: 'function', function: { name, arguments: item.arguments } };
      const last = messages[messages.length - 1];
      if (last?.role === 'assistant') last.tool_calls = [...(last.tool_calls ?? []), call];
      else messages.push({ role: 'assistant', content: '', tool_calls: [call] });
    } else if (type === 'function_call_output') {
      const output = typeof item.output === 'string' ? item.output : contentText(item.output);
      messages.push({ role: 'tool', tool_call_id: String(item.call_id), content: output });
    }
  }
  const tools: ChatTool[] = functionTools(request).map(({ name, tool }) => ({
    type: 'function',
    function: { name, parameters: tool.parameters as ChatTool['function']['parameters'] },
  }));
  return { model: request.model, stream: request.stream === true, messages, tools };
}

/** How a namespaced function is named for scripts: Codex's MCP tools read `mcp__horizon__repo_conventions`. */
const NAMESPACE_JOIN = '__';

/**
 * The function tools a request offers, by the name scripts use: a plain function by its
 * name, a function in a `namespace` tool (Codex groups each MCP server's tools in one) as
 * `<namespace>__<name>`. Hosted tools (web search and the like) are no script's to call.
 */
function functionTools(request: ResponsesRequest): Array<{ name: string; namespace?: string; tool: Json }> {
  return (request.tools ?? []).flatMap((tool) => {
    if (tool.type === 'function' && typeof tool.name === 'string') return [{ name: tool.name, tool }];
    if (tool.type !== 'namespace' || typeof tool.name !== 'string' || !Array.isArray(tool.tools)) return [];
    const namespace = tool.name;
    return (tool.tools as Json[])
      .filter((inner) => inner?.type === 'function' && typeof inner.name === 'string')
      .map((inner) => ({
        name: `${namespace}${NAMESPACE_JOIN}${String(inner.name)}`,
        namespace,
        tool: inner,
      }));
  });
}

function usageOf(reply: ModelReply): ResponseUsage {
  return {
    input_tokens: reply.usage.input,
    input_tokens_details: { cached_tokens: reply.usage.cached, cache_write_tokens: reply.usage.cacheWrite },
    output_tokens: reply.usage.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: reply.usage.input + reply.usage.output,
  };
}

type OutputItem = ResponseOutputMessage | ResponseFunctionToolCall;

function outputOf(reply: ModelReply, request: ResponsesRequest): OutputItem[] {
  const offered = functionTools(request);
  const message: ResponseOutputMessage[] = reply.text
    ? [
        {
          id: `msg_${reply.id}`,
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: reply.text, annotations: [], logprobs: [] }],
        },
      ]
    : [];
  const calls = reply.toolCalls.map((call, i): ResponseFunctionToolCall => {
    // A namespaced tool is called by its own name within its namespace, as the API answers.
    const { namespace, tool } = offered.find((t) => t.name === call.tool && t.namespace) ?? {};
    return {
      id: `fc_${reply.id}_${i}`,
      type: 'function_call',
      status: 'completed',
      call_id: call.id,
      name: namespace ? String(tool!.name) : call.tool,
      ...(namespace ? { namespace } : {}),
      arguments: JSON.stringify(call.args),
    };
  });
  return [...message, ...calls];
}

/** A whole (non-streamed) Response; `request` is echoed where the API echoes it. */
export function responsesBody(reply: ModelReply, request: ResponsesRequest): WireResponse {
  const created = Math.floor(Date.now() / 1000);
  return {
    id: reply.id,
    object: 'response',
    created_at: created,
    completed_at: created,
    status: 'completed',
    access_programs: null,
    error: null,
    incomplete_details: null,
    instructions: request.instructions ?? null,
    metadata: {},
    model: reply.model,
    output: outputOf(reply, request),
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    temperature: 1,
    tool_choice: 'auto',
    tools: (request.tools ?? []) as unknown as Response['tools'],
    top_p: 1,
    usage: usageOf(reply),
  };
}

/** A stream event as it travels (its Response without `output_text`), without its sequence number. */
type WireEvent = ResponseStreamEvent extends infer E
  ? E extends { response: Response }
    ? Omit<E, 'response' | 'sequence_number'> & { response: WireResponse }
    : Omit<E, 'sequence_number'>
  : never;

/**
 * The events of a streamed Response, numbered in order: `response.created` and
 * `response.in_progress` (no output yet), each output item added, filled (text deltas in
 * pieces, or function-call arguments in pieces) and done, then `response.completed` with the
 * whole Response and its usage. Each goes out as `event: <type>` with the JSON as `data:`.
 */
export function responsesEvents(reply: ModelReply, request: ResponsesRequest): ResponseStreamEvent[] {
  const whole = responsesBody(reply, request);
  const pending: WireResponse = { ...whole, status: 'in_progress', output: [], completed_at: null };
  delete pending.usage;
  const events: WireEvent[] = [
    { type: 'response.created', response: pending },
    { type: 'response.in_progress', response: pending },
  ];
  whole.output.forEach((item, outputIndex) => {
    const common = { item_id: item.id!, output_index: outputIndex };
    if (item.type === 'message') {
      const text = (item.content[0] as { text: string }).text;
      const part = { type: 'output_text' as const, text: '', annotations: [], logprobs: [] };
      events.push({
        type: 'response.output_item.added',
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', content: [] },
      });
      events.push({ type: 'response.content_part.added', ...common, content_index: 0, part });
      for (const delta of pieces(text, 3))
        events.push({ type: 'response.output_text.delta', ...common, content_index: 0, delta, logprobs: [] });
      events.push({ type: 'response.output_text.done', ...common, content_index: 0, text, logprobs: [] });
      events.push({
        type: 'response.content_part.done',
        ...common,
        content_index: 0,
        part: { ...part, text },
      });
    } else if (item.type === 'function_call') {
      events.push({
        type: 'response.output_item.added',
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', arguments: '' },
      });
      for (const delta of pieces(item.arguments, 2))
        events.push({ type: 'response.function_call_arguments.delta', ...common, delta });
      events.push({ type: 'response.function_call_arguments.done', ...common, arguments: item.arguments });
    }
    events.push({ type: 'response.output_item.done', output_index: outputIndex, item });
  });
  events.push({ type: 'response.completed', response: whole });
  return events.map((event, i) => ({ ...event, sequence_number: i }) as ResponseStreamEvent);
}
