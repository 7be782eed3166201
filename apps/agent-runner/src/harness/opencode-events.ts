import type { HarnessEvent, HarnessUsage } from './harness';

/** Loose reading of `opencode run --format json` output: fields are checked, not trusted. */
type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * Turns one line of OpenCode's JSON output into a normalized event. Anything else (a line
 * that is not JSON, an event type this code does not know) gives undefined: OpenCode may
 * print other things, and a newer version may add event types.
 */
export function parseOpenCodeLine(line: string): HarnessEvent | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  let event: unknown;
  try {
    event = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (!isObject(event)) return undefined;
  const at = num(event.timestamp) || Date.now();
  const part = isObject(event.part) ? event.part : {};
  switch (event.type) {
    case 'step_start':
      return { type: 'step_start', at };
    case 'text':
      return { type: 'text', at, text: str(part.text) };
    case 'tool_use':
      return toolUse(at, part);
    case 'step_finish': {
      const tokens = isObject(part.tokens) ? part.tokens : {};
      const cache = isObject(tokens.cache) ? tokens.cache : {};
      return {
        type: 'step_finish',
        at,
        reason: str(part.reason),
        tokens: {
          input: num(tokens.input),
          output: num(tokens.output),
          reasoning: num(tokens.reasoning),
          cacheRead: num(cache.read),
          cacheWrite: num(cache.write),
        },
        costUsd: num(part.cost),
      };
    }
    case 'error':
      return { type: 'error', at, message: errorMessage(event.error) };
    default:
      return undefined;
  }
}

/** A tool call that finished; OpenCode reports no other, but a pending one is not an outcome. */
function toolUse(at: number, part: Json): HarnessEvent | undefined {
  const state = isObject(part.state) ? part.state : {};
  if (state.status !== 'completed' && state.status !== 'error') return undefined;
  const metadata = isObject(state.metadata) ? state.metadata : {};
  const failed = state.status === 'error';
  return {
    type: 'tool_use',
    at,
    tool: str(part.tool),
    callId: str(part.callID),
    status: failed ? 'error' : 'completed',
    input: isObject(state.input) ? state.input : {},
    output: failed ? str(state.error) : str(state.output),
    ...(typeof metadata.exit === 'number' ? { exitCode: metadata.exit } : {}),
  };
}

function errorMessage(error: unknown): string {
  if (!isObject(error)) return str(error) || 'unknown error';
  const data = isObject(error.data) ? error.data : {};
  return (
    [str(error.name), str(data.message) || str(error.message)].filter(Boolean).join(': ') || 'unknown error'
  );
}

/** Sums token counts and cost over the steps of a run. */
export function usageOf(events: readonly HarnessEvent[]): HarnessUsage {
  const usage: HarnessUsage = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
  for (const event of events) {
    if (event.type !== 'step_finish') continue;
    usage.inputTokens += event.tokens.input + event.tokens.cacheRead + event.tokens.cacheWrite;
    usage.outputTokens += event.tokens.output + event.tokens.reasoning;
    usage.costUsd += event.costUsd;
  }
  return usage;
}
