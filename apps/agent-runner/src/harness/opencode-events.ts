import type { HarnessEvent, HarnessUsage } from './harness';
import type { BusEvent } from './opencode-client';
import { isObject, num, str, type Json } from './json-fields';

/** What one bus event means for a turn. */
export type SessionReading =
  | { type: 'harness'; event: HarnessEvent }
  /** The session's loop ended: nothing more will happen until another message comes. */
  | { type: 'idle' }
  /** The agent (or a subagent of its session) asks for a permission nobody is there to give. */
  | { type: 'permission'; requestId: string; permission: string };

/**
 * Follows one session on the bus of `opencode serve` and normalizes what the agent does, as
 * `opencode run --format json` does from the same events: finished text parts, tool calls
 * that completed or failed, step boundaries, session errors, the end of the loop. Anything
 * else (another session, a part still streaming, an event type a newer version added) reads
 * as undefined.
 */
export class SessionEvents {
  /** The session and the subagent sessions it started: their permission requests are ours. */
  private readonly family: Set<string>;
  private readonly userMessages = new Set<string>();
  /** A part is updated several times; each becomes at most one event. */
  private readonly reported = new Set<string>();

  constructor(
    private readonly sessionId: string,
    private readonly now: () => number = Date.now,
  ) {
    this.family = new Set([sessionId]);
  }

  read({ type, properties }: BusEvent): SessionReading | undefined {
    switch (type) {
      case 'session.created': {
        const info = isObject(properties.info) ? properties.info : {};
        if (this.family.has(str(info.parentID))) this.family.add(str(info.id));
        return undefined;
      }
      case 'message.updated': {
        const info = isObject(properties.info) ? properties.info : {};
        if (info.role === 'user') this.userMessages.add(str(info.id));
        return undefined;
      }
      case 'message.part.updated': {
        const part = isObject(properties.part) ? properties.part : {};
        if (part.sessionID !== this.sessionId || this.userMessages.has(str(part.messageID))) return undefined;
        const event = partEvent(part, this.now());
        const key = str(part.id) || `${str(part.messageID)}:${str(part.callID)}:${str(part.type)}`;
        if (!event || this.reported.has(key)) return undefined;
        this.reported.add(key);
        return { type: 'harness', event };
      }
      case 'session.error':
        if (properties.sessionID !== this.sessionId) return undefined;
        return {
          type: 'harness',
          event: { type: 'error', at: this.now(), message: errorMessage(properties.error) },
        };
      case 'session.status': {
        const status = isObject(properties.status) ? properties.status : {};
        return properties.sessionID === this.sessionId && status.type === 'idle'
          ? { type: 'idle' }
          : undefined;
      }
      case 'permission.asked':
        if (!this.family.has(str(properties.sessionID))) return undefined;
        return { type: 'permission', requestId: str(properties.id), permission: str(properties.permission) };
      default:
        return undefined;
    }
  }
}

/** A message part of the agent's, once it is an outcome (a finished text, a finished tool call). */
export function partEvent(part: Json, at: number): HarnessEvent | undefined {
  switch (part.type) {
    case 'step-start':
      return { type: 'step_start', at };
    case 'text': {
      const time = isObject(part.time) ? part.time : {};
      if (!time.end || part.synthetic) return undefined;
      return { type: 'text', at, text: str(part.text) };
    }
    case 'tool':
      return toolUse(at, part);
    case 'step-finish': {
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
    default:
      return undefined;
  }
}

/** A tool call that finished; a pending or running one is not an outcome. */
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
