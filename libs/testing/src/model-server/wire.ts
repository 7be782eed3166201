import type { ScriptUsage, ScriptedToolCall } from './script';

/** One answer of the model, ready to be put on the wire. */
export interface ModelReply {
  id: string;
  model: string;
  text?: string;
  toolCalls: Array<ScriptedToolCall & { id: string }>;
  usage: ScriptUsage;
}

type Chunk = Record<string, unknown>;

const finishReason = (reply: ModelReply) => (reply.toolCalls.length > 0 ? 'tool_calls' : 'stop');

const usageOf = (reply: ModelReply) => ({
  prompt_tokens: reply.usage.input,
  completion_tokens: reply.usage.output,
  total_tokens: reply.usage.input + reply.usage.output,
  prompt_tokens_details: { cached_tokens: reply.usage.cached },
});

/** Cuts a string into `parts` pieces, so clients see a value arrive across several chunks. */
export function pieces(value: string, parts: number): string[] {
  const size = Math.max(1, Math.ceil(value.length / parts));
  const out: string[] = [];
  for (let i = 0; i < value.length; i += size) out.push(value.slice(i, i + size));
  return out.length > 0 ? out : [''];
}

/**
 * The `chat.completion.chunk` objects of a streamed reply, in order: text deltas, each tool
 * call opened with its id and name and its arguments streamed in pieces, a final chunk with
 * `finish_reason`, and (when asked for with `stream_options.include_usage`) a usage chunk
 * with empty choices.
 */
export function streamChunks(reply: ModelReply, includeUsage: boolean): Chunk[] {
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices: unknown[], extra: Chunk = {}): Chunk => ({
    id: reply.id,
    object: 'chat.completion.chunk',
    created,
    model: reply.model,
    choices,
    ...extra,
  });
  const delta = (d: Chunk, finish: string | null = null) =>
    chunk([{ index: 0, delta: d, finish_reason: finish }]);

  const chunks: Chunk[] = [delta({ role: 'assistant', content: '' })];
  if (reply.text) for (const text of pieces(reply.text, 3)) chunks.push(delta({ content: text }));
  reply.toolCalls.forEach((call, index) => {
    chunks.push(
      delta({
        tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.tool, arguments: '' } }],
      }),
    );
    for (const args of pieces(JSON.stringify(call.args), 2)) {
      chunks.push(delta({ tool_calls: [{ index, function: { arguments: args } }] }));
    }
  });
  chunks.push(delta({}, finishReason(reply)));
  if (includeUsage) chunks.push(chunk([], { usage: usageOf(reply) }));
  return chunks;
}

/** A non-streamed `chat.completion` object. */
export function completionBody(reply: ModelReply): Chunk {
  const toolCalls = reply.toolCalls.map((call) => ({
    id: call.id,
    type: 'function',
    function: { name: call.tool, arguments: JSON.stringify(call.args) },
  }));
  return {
    id: reply.id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: reply.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.text ?? null,
          ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: finishReason(reply),
      },
    ],
    usage: usageOf(reply),
  };
}
