import type { IncomingHttpHeaders } from 'node:http';
import type { ChatMessage, ChatRequest, ChatTool } from './conversation';
import { pieces, type ModelReply } from './wire';

/**
 * Anthropic's Messages API (`POST /v1/messages`) as the scripted server speaks it: requests
 * are checked the way Anthropic checks them and turned into the chat-completions shape the
 * scripts match against; answers go out as a Message, or as the SSE events a streamed Message
 * is made of. Shapes as in Anthropic's API reference and the streams `@ai-sdk/anthropic`
 * records from the real API in its test fixtures.
 */

type Block = { type: string; [field: string]: unknown };

/** The parts of a Messages request body the server reads. */
export interface AnthropicRequest {
  model: string;
  max_tokens: number;
  stream?: boolean;
  system?: string | Block[];
  messages: Array<{ role: 'user' | 'assistant'; content: string | Block[] }>;
  tools?: Array<{ name?: string; input_schema?: ChatTool['function']['parameters'] }>;
}

/** A request Anthropic would refuse: the status and the `error` of its error body. */
export interface AnthropicRefusal {
  status: 400 | 401;
  type: 'invalid_request_error' | 'authentication_error';
  message: string;
}

/** Anthropic's error body: `{ type: 'error', error: { type, message } }`. */
export function anthropicError(type: string, message: string): Record<string, unknown> {
  return { type: 'error', error: { type, message } };
}

const invalid = (message: string): AnthropicRefusal => ({
  status: 400,
  type: 'invalid_request_error',
  message,
});

/**
 * Why Anthropic would refuse this request, or undefined: no key (or not `expectedKey`), no
 * `anthropic-version`, a body that is not JSON, a missing `model`, `max_tokens` or
 * `messages`, or a `tool_result` that answers no `tool_use` of the message before it.
 */
export function anthropicRefusal(
  headers: IncomingHttpHeaders,
  body: unknown,
  expectedKey: string | undefined,
): AnthropicRefusal | undefined {
  const key = headers['x-api-key'];
  if (!key) return { status: 401, type: 'authentication_error', message: 'x-api-key header is required' };
  if (expectedKey !== undefined && key !== expectedKey)
    return { status: 401, type: 'authentication_error', message: 'invalid x-api-key' };
  if (!headers['anthropic-version']) return invalid('anthropic-version: header is required');
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return invalid('There was an error parsing the body of your request: it is not a JSON object');
  const request = body as Partial<AnthropicRequest>;
  if (typeof request.model !== 'string') return invalid('model: Field required');
  if (!Number.isInteger(request.max_tokens) || request.max_tokens! < 1)
    return invalid('max_tokens: Field required (a positive integer)');
  if (!Array.isArray(request.messages) || request.messages.length === 0)
    return invalid('messages: Field required (at least one message)');
  return unansweredToolResult(request.messages);
}

function unansweredToolResult(messages: AnthropicRequest['messages']): AnthropicRefusal | undefined {
  for (const [i, message] of messages.entries()) {
    if (message?.role !== 'user' && message?.role !== 'assistant')
      return invalid(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    if (typeof message.content !== 'string' && !Array.isArray(message.content))
      return invalid(`messages.${i}.content: Input should be a valid string or list of blocks`);
    const asked = new Set(blocksOf(messages[i - 1]?.content, 'tool_use').map((b) => b.id));
    for (const result of blocksOf(message.content, 'tool_result')) {
      if (message.role !== 'user' || !asked.has(result.tool_use_id))
        return invalid(
          `messages.${i}.content: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(result.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
        );
    }
  }
  return undefined;
}

function blocksOf(content: string | Block[] | undefined, type: string): Block[] {
  return Array.isArray(content) ? content.filter((block) => block?.type === type) : [];
}

/** The text of a string or of the text blocks of a list. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return (content as Block[])
    .filter((block) => block.type === 'text')
    .map((block) => String(block.text ?? ''))
    .join('');
}

/**
 * The request as chat completions would carry it, so one script serves both wires: the
 * system blocks become system messages, `tool_use` blocks an assistant's `tool_calls`, and
 * each `tool_result` a `tool` message (so `lastRole: tool` matches after a tool ran).
 */
export function chatRequestOf(request: AnthropicRequest): ChatRequest {
  const system = typeof request.system === 'string' ? [request.system] : (request.system ?? []).map(textOf);
  const messages: ChatMessage[] = system.map((text) => ({ role: 'system', content: text }));
  for (const message of request.messages) {
    if (typeof message.content === 'string') {
      messages.push({ role: message.role, content: message.content });
      continue;
    }
    if (message.role === 'assistant') {
      const calls = blocksOf(message.content, 'tool_use').map((block) => ({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      }));
      messages.push({
        role: 'assistant',
        content: textOf(message.content),
        ...(calls.length > 0 ? { tool_calls: calls } : {}),
      });
      continue;
    }
    for (const result of blocksOf(message.content, 'tool_result'))
      messages.push({
        role: 'tool',
        tool_call_id: String(result.tool_use_id),
        content: textOf(result.content),
      });
    const text = message.content.filter((block) => block.type === 'text');
    if (text.length > 0) messages.push({ role: 'user', content: textOf(text) });
  }
  const tools = (request.tools ?? [])
    .filter((tool) => typeof tool.name === 'string')
    .map((tool) => ({ type: 'function', function: { name: tool.name!, parameters: tool.input_schema } }));
  return { model: request.model, stream: request.stream === true, messages, tools };
}

const stopReason = (reply: ModelReply) => (reply.toolCalls.length > 0 ? 'tool_use' : 'end_turn');

function contentOf(reply: ModelReply): Block[] {
  return [
    ...(reply.text ? [{ type: 'text', text: reply.text }] : []),
    ...reply.toolCalls.map((call) => ({ type: 'tool_use', id: call.id, name: call.tool, input: call.args })),
  ];
}

/** A whole (non-streamed) Message. */
export function anthropicMessage(reply: ModelReply): Record<string, unknown> {
  return {
    id: reply.id,
    type: 'message',
    role: 'assistant',
    model: reply.model,
    content: contentOf(reply),
    stop_reason: stopReason(reply),
    stop_sequence: null,
    usage: { ...inputUsage(reply), output_tokens: reply.usage.output },
  };
}

/** Anthropic's `input_tokens` leaves out the tokens read from or written to the cache. */
function inputUsage(reply: ModelReply): Record<string, number> {
  const { input, cached, cacheWrite } = reply.usage;
  return {
    input_tokens: input - cached - cacheWrite,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cached,
  };
}

/** One server-sent event: its `event:` name is the data's `type`. */
export interface AnthropicEvent {
  event: string;
  data: Record<string, unknown>;
}

/**
 * The events of a streamed Message, in order: `message_start` (input tokens), a `ping`, each
 * content block opened, filled with `text_delta`s or `input_json_delta`s in pieces and
 * closed, `message_delta` (stop reason, output tokens), `message_stop`.
 */
export function anthropicEvents(reply: ModelReply): AnthropicEvent[] {
  const out: AnthropicEvent[] = [];
  const emit = (data: Record<string, unknown>) => out.push({ event: String(data.type), data });
  emit({
    type: 'message_start',
    message: {
      ...anthropicMessage(reply),
      content: [],
      stop_reason: null,
      usage: { ...inputUsage(reply), output_tokens: 0 },
    },
  });
  emit({ type: 'ping' });
  contentOf(reply).forEach((block, index) => {
    if (block.type === 'text') {
      emit({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      for (const text of pieces(String(block.text), 3))
        emit({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
    } else {
      emit({ type: 'content_block_start', index, content_block: { ...block, input: {} } });
      for (const json of pieces(JSON.stringify(block.input), 2))
        emit({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json } });
    }
    emit({ type: 'content_block_stop', index });
  });
  emit({
    type: 'message_delta',
    delta: { stop_reason: stopReason(reply), stop_sequence: null },
    usage: { output_tokens: reply.usage.output },
  });
  emit({ type: 'message_stop' });
  return out;
}
