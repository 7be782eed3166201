import type { HarnessEvent, HarnessModelConfig } from './harness';
import { isObject, num, str, type Json } from './json-fields';

/** What one line of Claude Code's `--output-format stream-json` means for a turn. */
export type ClaudeReading =
  | { type: 'harness'; event: HarnessEvent }
  /** The session the turn works in: a later turn resumes it (`--resume`). */
  | { type: 'session'; id: string }
  /** The turn's closing `result` line: its usage as a step, and its error when it failed. */
  | { type: 'turn_end'; event: HarnessEvent; error?: string };

/** A tool call the agent made whose result has not come back yet. */
interface PendingCall {
  name: string;
  input: Json;
}

/**
 * Reads one turn's stream-json lines. Claude Code sends the model's text and tool calls in
 * `assistant` messages and each tool's result in the next `user` message, so a call is held
 * until its result arrives and then becomes one `tool_use` event (a Bash call's failure says
 * `Exit code N` first: that is its exit status). The closing `result` line carries the turn's
 * usage, summed over its model requests, and whether it failed. Everything else (the UI's own
 * system lines, partial messages) is left out.
 */
export class ClaudeStreamReader {
  private readonly pending = new Map<string, PendingCall>();

  constructor(private readonly cost?: HarnessModelConfig['costPerMillionTokens']) {}

  read(line: string, at: number): ClaudeReading[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return [];
    }
    if (!isObject(parsed)) return [];
    switch (parsed.type) {
      case 'system':
        return parsed.subtype === 'init' && str(parsed.session_id)
          ? [
              { type: 'session', id: str(parsed.session_id) },
              { type: 'harness', event: { type: 'step_start', at } },
            ]
          : [];
      case 'assistant':
        return this.assistant(parsed, at);
      case 'user':
        return this.toolResults(parsed, at);
      case 'result':
        return [this.result(parsed, at)];
      default:
        return [];
    }
  }

  private assistant(line: Json, at: number): ClaudeReading[] {
    const readings: ClaudeReading[] = [];
    for (const part of contentOf(line)) {
      if (part.type === 'text' && str(part.text))
        readings.push({ type: 'harness', event: { type: 'text', at, text: str(part.text) } });
      else if (part.type === 'tool_use' && str(part.id))
        this.pending.set(str(part.id), {
          name: str(part.name),
          input: isObject(part.input) ? part.input : {},
        });
    }
    return readings;
  }

  private toolResults(line: Json, at: number): ClaudeReading[] {
    const readings: ClaudeReading[] = [];
    for (const part of contentOf(line)) {
      if (part.type !== 'tool_result') continue;
      const callId = str(part.tool_use_id);
      const call = this.pending.get(callId);
      this.pending.delete(callId);
      const output = resultText(part.content);
      const failed = part.is_error === true;
      const exitCode = call?.name === 'Bash' ? bashExit(output, failed) : undefined;
      readings.push({
        type: 'harness',
        event: {
          type: 'tool_use',
          at,
          tool: toolName(call?.name ?? 'unknown'),
          callId,
          status: failed ? 'error' : 'completed',
          input: call?.input ?? {},
          output,
          ...(exitCode !== undefined ? { exitCode } : {}),
        },
      });
    }
    return readings;
  }

  /**
   * Anthropic's usage: `input_tokens` leaves out the cache reads and writes, which come apart;
   * the harness's tokens keep them apart too. Cost charges every input token at the input rate
   * (the configuration has no cache rates); Claude Code's own `total_cost_usd` is its price
   * list's guess and is not used.
   */
  private result(line: Json, at: number): ClaudeReading {
    const usage = isObject(line.usage) ? line.usage : {};
    const input = num(usage.input_tokens);
    const cacheRead = num(usage.cache_read_input_tokens);
    const cacheWrite = num(usage.cache_creation_input_tokens);
    const output = num(usage.output_tokens);
    const cost = this.cost;
    const event: HarnessEvent = {
      type: 'step_finish',
      at,
      reason: str(line.stop_reason) || str(line.subtype) || 'stop',
      tokens: { input, output, reasoning: 0, cacheRead, cacheWrite },
      costUsd: cost ? ((input + cacheRead + cacheWrite) * cost.input + output * cost.output) / 1e6 : 0,
    };
    if (line.is_error !== true) return { type: 'turn_end', event };
    const error = str(line.result) || `the turn ended ${str(line.subtype) || 'with an error'}`;
    return { type: 'turn_end', event, error };
  }
}

function contentOf(line: Json): Json[] {
  const message = isObject(line.message) ? line.message : {};
  return Array.isArray(message.content) ? message.content.filter(isObject) : [];
}

/** A tool result's content: a string, or text parts. */
function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter(isObject)
    .map((part) => str(part.text))
    .join('\n');
}

/** A Bash call's exit status: 0 when it succeeded, else the `Exit code N` its output starts with. */
function bashExit(output: string, failed: boolean): number | undefined {
  if (!failed) return 0;
  const code = /^Exit code (\d+)/.exec(output)?.[1];
  return code === undefined ? undefined : Number(code);
}

/**
 * Tool names as the other harnesses report them: `bash`, `edit`, `read`…, and an MCP tool
 * (`mcp__horizon__repo_conventions`) as `<server>_<tool>` like OpenCode's (`horizon_repo_conventions`).
 */
function toolName(name: string): string {
  const mcp = /^mcp__([^_]+(?:_[^_]+)*?)__(.+)$/.exec(name);
  return mcp ? `${mcp[1]}_${mcp[2]}` : name.toLowerCase();
}
