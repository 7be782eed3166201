import type { HarnessEvent } from './harness';
import { parseOpenCodeLine, usageOf } from './opencode-events';

// Lines as `opencode run --format json` 1.18.33 printed them (ids shortened).
const lines = {
  stepStart:
    '{"type":"step_start","timestamp":1795506752881,"sessionID":"ses_1","part":{"id":"prt_1","messageID":"msg_1","sessionID":"ses_1","snapshot":"4b82","type":"step-start"}}',
  text: '{"type":"text","timestamp":1795506752882,"sessionID":"ses_1","part":{"id":"prt_2","type":"text","text":"Writing.","time":{"start":1,"end":2}}}',
  bash: '{"type":"tool_use","timestamp":1795506753388,"sessionID":"ses_1","part":{"type":"tool","tool":"bash","callID":"call_3_0","state":{"status":"completed","input":{"command":"exit 3"},"output":"(no output)","metadata":{"output":"(no output)","exit":3,"truncated":false},"title":"exit 3","time":{"start":1,"end":2}},"id":"prt_3"}}',
  stepFinish:
    '{"type":"step_finish","timestamp":1795506752928,"sessionID":"ses_1","part":{"id":"prt_4","reason":"tool-calls","type":"step-finish","tokens":{"total":1050,"input":1000,"output":50,"reasoning":0,"cache":{"write":0,"read":0}},"cost":0.00375}}',
  error:
    '{"type":"error","timestamp":1795506701564,"sessionID":"ses_1","error":{"name":"APIError","data":{"message":"Scripted model: expected step 1","statusCode":500,"isRetryable":true}}}',
};

describe('parseOpenCodeLine', () => {
  it('normalizes each kind of event', () => {
    expect(parseOpenCodeLine(lines.stepStart)).toEqual({ type: 'step_start', at: 1795506752881 });
    expect(parseOpenCodeLine(lines.text)).toEqual({ type: 'text', at: 1795506752882, text: 'Writing.' });
    expect(parseOpenCodeLine(lines.bash)).toEqual({
      type: 'tool_use',
      at: 1795506753388,
      tool: 'bash',
      callId: 'call_3_0',
      status: 'completed',
      input: { command: 'exit 3' },
      output: '(no output)',
      exitCode: 3,
    });
    expect(parseOpenCodeLine(lines.stepFinish)).toEqual({
      type: 'step_finish',
      at: 1795506752928,
      reason: 'tool-calls',
      tokens: { input: 1000, output: 50, reasoning: 0, cacheRead: 0, cacheWrite: 0 },
      costUsd: 0.00375,
    });
    expect(parseOpenCodeLine(lines.error)).toEqual({
      type: 'error',
      at: 1795506701564,
      message: 'APIError: Scripted model: expected step 1',
    });
  });

  it('reports a failed tool with its error text', () => {
    const line = JSON.stringify({
      type: 'tool_use',
      timestamp: 5,
      part: {
        tool: 'read',
        callID: 'c',
        state: { status: 'error', input: { filePath: '/x' }, error: 'File not found: /x' },
      },
    });
    expect(parseOpenCodeLine(line)).toMatchObject({ status: 'error', output: 'File not found: /x' });
  });

  it('ignores noise, partial lines, unknown types and unfinished tools', () => {
    for (const line of [
      '',
      'Error: something went wrong',
      lines.bash.slice(0, 80),
      '[1,2,3]',
      '{"type":"reasoning","part":{}}',
      JSON.stringify({ type: 'tool_use', part: { tool: 'bash', state: { status: 'running', input: {} } } }),
    ]) {
      expect(parseOpenCodeLine(line)).toBeUndefined();
    }
  });

  it('survives fields of the wrong type', () => {
    expect(
      parseOpenCodeLine('{"type":"step_finish","part":{"tokens":{"input":"many"},"cost":null}}'),
    ).toMatchObject({
      tokens: { input: 0, output: 0 },
      costUsd: 0,
    });
  });
});

describe('usageOf', () => {
  it('sums steps, counting cache tokens as input and reasoning as output', () => {
    const step = (
      input: number,
      output: number,
      extra: Partial<Record<'reasoning' | 'cacheRead' | 'cacheWrite', number>>,
      costUsd: number,
    ): HarnessEvent => ({
      type: 'step_finish',
      at: 0,
      reason: 'stop',
      tokens: { input, output, reasoning: 0, cacheRead: 0, cacheWrite: 0, ...extra },
      costUsd,
    });
    const events: HarnessEvent[] = [
      step(100, 10, { cacheRead: 50 }, 0.01),
      { type: 'text', at: 0, text: 'hi' },
      step(200, 20, { reasoning: 5, cacheWrite: 7 }, 0.02),
    ];
    expect(usageOf(events)).toEqual({ inputTokens: 357, outputTokens: 35, costUsd: 0.03 });
  });
});
