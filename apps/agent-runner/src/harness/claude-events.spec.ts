import { ClaudeStreamReader } from './claude-events';

// Lines Claude Code 2.1.332 printed (`-p --output-format stream-json --verbose`) against the
// scripted model server, trimmed of fields the reader does not look at.
const session = 'de9a9f4a-143a-4a33-b6f8-ddb81ba6f1ed';
const lines = {
  init: JSON.stringify({
    type: 'system',
    subtype: 'init',
    cwd: '/workspace',
    session_id: session,
    tools: ['Bash', 'Edit', 'Read'],
  }),
  uiNoise: JSON.stringify({
    type: 'system',
    subtype: 'ui_invalidate',
    event: 'ui.render',
    session_id: session,
  }),
  text: JSON.stringify({
    type: 'assistant',
    message: { role: 'assistant', content: [{ type: 'text', text: 'I will create hello.txt.' }] },
    session_id: session,
  }),
  call: JSON.stringify({
    type: 'assistant',
    message: {
      role: 'assistant',
      content: [
        {
          type: 'tool_use',
          id: 'call_2_0',
          name: 'Bash',
          input: { command: 'cat hello.txt && false', description: 'Show it' },
        },
      ],
    },
    session_id: session,
  }),
  failedResult: JSON.stringify({
    type: 'user',
    message: {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          content: 'Exit code 1\nHello from Horizon',
          is_error: true,
          tool_use_id: 'call_2_0',
        },
      ],
    },
    tool_use_result: 'Error: Exit code 1\nHello from Horizon',
  }),
  mcpCall: JSON.stringify({
    type: 'assistant',
    message: {
      content: [{ type: 'tool_use', id: 'toolu_9', name: 'mcp__horizon__repo_conventions', input: {} }],
    },
  }),
  mcpResult: JSON.stringify({
    type: 'user',
    message: {
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_9', content: [{ type: 'text', text: 'Use tabs.' }] },
      ],
    },
  }),
  result: JSON.stringify({
    type: 'result',
    subtype: 'success',
    is_error: false,
    stop_reason: 'end_turn',
    result: 'Created hello.txt and checked its content.',
    session_id: session,
    total_cost_usd: 0.0143,
    usage: {
      input_tokens: 3000,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 1000,
      output_tokens: 105,
    },
  }),
  notLoggedIn: JSON.stringify({
    type: 'result',
    subtype: 'success',
    is_error: true,
    result: 'Not logged in · Please run /login',
    usage: { input_tokens: 0, output_tokens: 0 },
  }),
};

describe('Claude Code stream-json', () => {
  it('reads the session, text, a failed Bash call with its exit code, an MCP call and the usage', () => {
    const reader = new ClaudeStreamReader({ input: 3, output: 15 });
    const read = (line: string) => reader.read(line, 7);
    expect(read(lines.init)).toEqual([
      { type: 'session', id: session },
      { type: 'harness', event: { type: 'step_start', at: 7 } },
    ]);
    expect(read(lines.uiNoise)).toEqual([]);
    expect(read(lines.text)).toEqual([
      { type: 'harness', event: { type: 'text', at: 7, text: 'I will create hello.txt.' } },
    ]);
    expect(read(lines.call)).toEqual([]); // held until its result comes
    expect(read(lines.failedResult)).toEqual([
      {
        type: 'harness',
        event: {
          type: 'tool_use',
          at: 7,
          tool: 'bash',
          callId: 'call_2_0',
          status: 'error',
          input: { command: 'cat hello.txt && false', description: 'Show it' },
          output: 'Exit code 1\nHello from Horizon',
          exitCode: 1,
        },
      },
    ]);
    read(lines.mcpCall);
    expect(read(lines.mcpResult)).toMatchObject([
      { event: { tool: 'horizon_repo_conventions', status: 'completed', output: 'Use tabs.' } },
    ]);
    expect(read(lines.result)).toEqual([
      {
        type: 'turn_end',
        event: {
          type: 'step_finish',
          at: 7,
          reason: 'end_turn',
          tokens: { input: 3000, output: 105, reasoning: 0, cacheRead: 1000, cacheWrite: 0 },
          costUsd: (4000 * 3 + 105 * 15) / 1e6,
        },
      },
    ]);
  });

  it('reads a failed turn’s reason, and passes over what is not JSON', () => {
    const reader = new ClaudeStreamReader();
    expect(reader.read('[claude-code:unrecognized_model] {"model":"scripted"}', 1)).toEqual([]);
    expect(reader.read(lines.notLoggedIn, 1)).toMatchObject([
      { type: 'turn_end', error: 'Not logged in · Please run /login' },
    ]);
  });
});
