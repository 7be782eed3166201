import { readCodexLine } from './codex-events';
import { usageOf } from './opencode-events';
import type { HarnessEvent } from './harness';

// Lines as `codex exec --json` 0.171 printed them in a run against the scripted model server.
const at = 1_700_000_000_000;
const read = (value: unknown) => readCodexLine(JSON.stringify(value), at, { input: 3, output: 15 });

describe('reading codex exec --json lines', () => {
  it('takes the thread id, for a later turn to resume', () => {
    expect(read({ type: 'thread.started', thread_id: '01a243c6-9bb7-7d81-b060-398f3bd31c5e' })).toEqual({
      type: 'thread',
      id: '01a243c6-9bb7-7d81-b060-398f3bd31c5e',
    });
  });

  it('starts a step with the turn and reads finished agent messages as text', () => {
    expect(read({ type: 'turn.started' })).toEqual({ type: 'harness', event: { type: 'step_start', at } });
    expect(
      read({
        type: 'item.completed',
        item: { id: 'item_1', type: 'agent_message', text: 'I will create hello.txt.' },
      }),
    ).toEqual({ type: 'harness', event: { type: 'text', at, text: 'I will create hello.txt.' } });
  });

  it('reads a finished command as a shell tool use with its output and exit code; a running one is not an outcome', () => {
    const item = {
      id: 'item_3',
      type: 'command_execution',
      command: "/bin/bash -lc 'cat hello.txt && env'",
      aggregated_output: 'Hello from Horizon\nPWD=/tmp/cx/repo\n',
      exit_code: 0,
      status: 'completed',
    };
    expect(
      read({ type: 'item.started', item: { ...item, exit_code: null, status: 'in_progress' } }),
    ).toBeUndefined();
    expect(read({ type: 'item.completed', item })).toEqual({
      type: 'harness',
      event: {
        type: 'tool_use',
        at,
        tool: 'shell',
        callId: 'item_3',
        status: 'completed',
        input: { command: "/bin/bash -lc 'cat hello.txt && env'" },
        output: 'Hello from Horizon\nPWD=/tmp/cx/repo\n',
        exitCode: 0,
      },
    });
    const failed = read({ type: 'item.completed', item: { ...item, exit_code: 2, status: 'failed' } });
    expect(failed).toMatchObject({ event: { status: 'error', exitCode: 2 } });
  });

  it('reads file changes and MCP calls as tool uses', () => {
    expect(
      read({
        type: 'item.completed',
        item: {
          id: 'item_5',
          type: 'file_change',
          changes: [{ path: '/r/a.js', kind: 'update' }],
          status: 'completed',
        },
      }),
    ).toMatchObject({ event: { tool: 'apply_patch', status: 'completed', output: 'update /r/a.js' } });
    const mcp = {
      id: 'item_6',
      type: 'mcp_tool_call',
      server: 'horizon',
      tool: 'search_runs',
      arguments: { query: 'greeting' },
      result: { content: [{ type: 'text', text: 'run 1: fixed the greeting' }] },
      error: null,
      status: 'completed',
    };
    expect(read({ type: 'item.completed', item: mcp })).toMatchObject({
      event: {
        tool: 'horizon_search_runs',
        status: 'completed',
        input: { query: 'greeting' },
        output: 'run 1: fixed the greeting',
      },
    });
    expect(
      read({
        type: 'item.completed',
        item: { ...mcp, result: null, error: { message: 'unauthorized' }, status: 'failed' },
      }),
    ).toMatchObject({ event: { status: 'error', output: 'unauthorized' } });
  });

  it('reads the turn usage as a step finish whose tokens count each token once, with its cost', () => {
    const reading = read({
      type: 'turn.completed',
      usage: {
        input_tokens: 4000,
        cached_input_tokens: 1000,
        cache_write_input_tokens: 0,
        output_tokens: 105,
        reasoning_output_tokens: 5,
      },
    });
    expect(reading).toEqual({
      type: 'harness',
      event: {
        type: 'step_finish',
        at,
        reason: 'stop',
        tokens: { input: 3000, output: 100, reasoning: 5, cacheRead: 1000, cacheWrite: 0 },
        costUsd: (4000 * 3 + 105 * 15) / 1e6,
      },
    });
    const usage = usageOf([(reading as { event: HarnessEvent }).event]);
    expect(usage).toMatchObject({ inputTokens: 4000, outputTokens: 105 });
  });

  it('ends the turn on turn.failed; retries, warnings and unreadable lines are no outcome', () => {
    expect(read({ type: 'turn.failed', error: { message: 'unexpected status 404 Not Found' } })).toEqual({
      type: 'turn_end',
      error: 'unexpected status 404 Not Found',
    });
    expect(
      read({ type: 'error', message: 'Reconnecting... 1/5 (unexpected status 404 Not Found)' }),
    ).toBeUndefined();
    const warning = 'Model metadata for `scripted` not found. Defaulting to fallback metadata.';
    expect(
      read({ type: 'item.completed', item: { id: 'item_0', type: 'error', message: warning } }),
    ).toBeUndefined();
    expect(
      read({ type: 'item.completed', item: { id: 'item_7', type: 'reasoning', text: 'thinking' } }),
    ).toBeUndefined();
    expect(readCodexLine('WARNING: proceeding', at)).toBeUndefined();
    expect(readCodexLine('[1,2]', at)).toBeUndefined();
  });
});
