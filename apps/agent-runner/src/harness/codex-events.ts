import type { HarnessEvent, HarnessModelConfig } from './harness';
import { isObject, num, str, type Json } from './json-fields';

/** What one line of `codex exec --json` means for a turn. */
export type CodexReading =
  | { type: 'harness'; event: HarnessEvent }
  /** The thread the turn works in: a later turn resumes it. */
  | { type: 'thread'; id: string }
  /** The turn ended: completed, or failed with the reason Codex gave. */
  | { type: 'turn_end'; error?: string };

/**
 * Normalizes the JSON lines `codex exec --json` prints: the thread's id, the turn's start,
 * finished agent messages, finished commands, file changes, MCP and web-search calls as tool
 * uses, the turn's usage (Codex reports it once per turn, summed over its model requests)
 * and its failure. Left out: items still running, reasoning, the plan, `error` items (Codex's
 * warnings, such as a model it has no metadata for) and top-level `error` lines (retries,
 * "Reconnecting... 1/5"; a failure that ends the turn comes again as `turn.failed`).
 */
export function readCodexLine(
  line: string,
  at: number,
  cost?: HarnessModelConfig['costPerMillionTokens'],
): CodexReading | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;
  switch (parsed.type) {
    case 'thread.started':
      return str(parsed.thread_id) ? { type: 'thread', id: str(parsed.thread_id) } : undefined;
    case 'turn.started':
      return { type: 'harness', event: { type: 'step_start', at } };
    case 'item.completed': {
      const event = isObject(parsed.item) ? itemEvent(parsed.item, at) : undefined;
      return event ? { type: 'harness', event } : undefined;
    }
    case 'turn.completed':
      return { type: 'harness', event: stepFinish(isObject(parsed.usage) ? parsed.usage : {}, at, cost) };
    case 'turn.failed': {
      const error = isObject(parsed.error) ? str(parsed.error.message) : '';
      return { type: 'turn_end', error: error || 'the turn failed' };
    }
    default:
      return undefined;
  }
}

/**
 * Codex's usage follows OpenAI's: `input_tokens` includes the cached and cache-written ones,
 * `output_tokens` the reasoning ones; the harness's tokens count each once. Cost charges
 * every input token at the input rate (the configuration has no cache rates).
 */
function stepFinish(usage: Json, at: number, cost: HarnessModelConfig['costPerMillionTokens']): HarnessEvent {
  const input = num(usage.input_tokens);
  const output = num(usage.output_tokens);
  const cacheRead = num(usage.cached_input_tokens);
  const cacheWrite = num(usage.cache_write_input_tokens);
  const reasoning = num(usage.reasoning_output_tokens);
  return {
    type: 'step_finish',
    at,
    reason: 'stop',
    tokens: {
      input: input - cacheRead - cacheWrite,
      output: output - reasoning,
      reasoning,
      cacheRead,
      cacheWrite,
    },
    costUsd: cost ? (input * cost.input + output * cost.output) / 1e6 : 0,
  };
}

/** A finished item as a harness event; undefined for what is not an outcome. */
function itemEvent(item: Json, at: number): HarnessEvent | undefined {
  const callId = str(item.id);
  switch (item.type) {
    case 'agent_message':
      return { type: 'text', at, text: str(item.text) };
    case 'command_execution': {
      const exitCode = typeof item.exit_code === 'number' ? item.exit_code : undefined;
      return {
        type: 'tool_use',
        at,
        tool: 'shell',
        callId,
        status: item.status === 'completed' ? 'completed' : 'error',
        input: { command: str(item.command) },
        output: str(item.aggregated_output),
        ...(exitCode !== undefined ? { exitCode } : {}),
      };
    }
    case 'file_change': {
      const changes = Array.isArray(item.changes) ? item.changes.filter(isObject) : [];
      return {
        type: 'tool_use',
        at,
        tool: 'apply_patch',
        callId,
        status: item.status === 'completed' ? 'completed' : 'error',
        input: { changes },
        output: changes.map((c) => `${str(c.kind)} ${str(c.path)}`).join('\n'),
      };
    }
    case 'mcp_tool_call':
      return mcpToolUse(item, at);
    case 'web_search':
      return {
        type: 'tool_use',
        at,
        tool: 'web_search',
        callId,
        status: 'completed',
        input: { query: str(item.query) },
        output: '',
      };
    default:
      return undefined;
  }
}

/** An MCP call, named `<server>_<tool>` as OpenCode names them (`horizon_search_runs`). */
function mcpToolUse(item: Json, at: number): HarnessEvent {
  const error = isObject(item.error) ? str(item.error.message) : '';
  const result = isObject(item.result) ? item.result : {};
  const content = Array.isArray(result.content) ? result.content.filter(isObject) : [];
  const failed = item.status !== 'completed' || error !== '';
  return {
    type: 'tool_use',
    at,
    tool: `${str(item.server)}_${str(item.tool)}`,
    callId: str(item.id),
    status: failed ? 'error' : 'completed',
    input: isObject(item.arguments) ? item.arguments : {},
    output: failed ? error : content.map((c) => str(c.text)).join('\n'),
  };
}
