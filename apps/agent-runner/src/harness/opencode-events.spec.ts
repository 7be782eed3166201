import type { HarnessEvent } from './harness';
import type { BusEvent } from './opencode-client';
import { SessionEvents, usageOf } from './opencode-events';

// Bus events as `opencode serve` 1.18.33 published them (ids shortened, fields trimmed).
const partUpdated = (part: Record<string, unknown>, sessionID = 'ses_1'): BusEvent => ({
  type: 'message.part.updated',
  properties: { sessionID, part: { sessionID, messageID: 'msg_a', ...part } },
});
const events = {
  userMessage: {
    type: 'message.updated',
    properties: { sessionID: 'ses_1', info: { id: 'msg_u', role: 'user', sessionID: 'ses_1' } },
  },
  userText: partUpdated({ id: 'prt_0', messageID: 'msg_u', type: 'text', text: 'Do it.', time: { end: 1 } }),
  stepStart: partUpdated({ id: 'prt_1', type: 'step-start', snapshot: '4b82' }),
  textStreaming: partUpdated({ id: 'prt_2', type: 'text', text: 'Writ', time: { start: 1 } }),
  text: partUpdated({ id: 'prt_2', type: 'text', text: 'Writing.', time: { start: 1, end: 2 } }),
  bashRunning: partUpdated({
    id: 'prt_3',
    type: 'tool',
    tool: 'bash',
    callID: 'call_3_0',
    state: { status: 'running', input: { command: 'exit 3' } },
  }),
  bash: partUpdated({
    id: 'prt_3',
    type: 'tool',
    tool: 'bash',
    callID: 'call_3_0',
    state: {
      status: 'completed',
      input: { command: 'exit 3' },
      output: '(no output)',
      metadata: { output: '(no output)', exit: 3, truncated: false },
    },
  }),
  stepFinish: partUpdated({
    id: 'prt_4',
    type: 'step-finish',
    reason: 'tool-calls',
    tokens: { total: 1050, input: 1000, output: 50, reasoning: 0, cache: { write: 0, read: 0 } },
    cost: 0.00375,
  }),
  error: {
    type: 'session.error',
    properties: {
      sessionID: 'ses_1',
      error: { name: 'APIError', data: { message: 'Scripted model: expected step 1', statusCode: 500 } },
    },
  },
  busy: { type: 'session.status', properties: { sessionID: 'ses_1', status: { type: 'busy' } } },
  idle: { type: 'session.status', properties: { sessionID: 'ses_1', status: { type: 'idle' } } },
} satisfies Record<string, BusEvent>;

describe('SessionEvents', () => {
  const harnessEvent = (reader: SessionEvents, event: BusEvent): HarnessEvent | undefined => {
    const reading = reader.read(event);
    return reading?.type === 'harness' ? reading.event : undefined;
  };

  it('normalizes each kind of event, once per part', () => {
    const reader = new SessionEvents('ses_1', () => 42);
    expect(harnessEvent(reader, events.stepStart)).toEqual({ type: 'step_start', at: 42 });
    expect(harnessEvent(reader, events.textStreaming)).toBeUndefined();
    expect(harnessEvent(reader, events.text)).toEqual({ type: 'text', at: 42, text: 'Writing.' });
    expect(harnessEvent(reader, events.text)).toBeUndefined();
    expect(harnessEvent(reader, events.bashRunning)).toBeUndefined();
    expect(harnessEvent(reader, events.bash)).toEqual({
      type: 'tool_use',
      at: 42,
      tool: 'bash',
      callId: 'call_3_0',
      status: 'completed',
      input: { command: 'exit 3' },
      output: '(no output)',
      exitCode: 3,
    });
    expect(harnessEvent(reader, events.stepFinish)).toEqual({
      type: 'step_finish',
      at: 42,
      reason: 'tool-calls',
      tokens: { input: 1000, output: 50, reasoning: 0, cacheRead: 0, cacheWrite: 0 },
      costUsd: 0.00375,
    });
    expect(harnessEvent(reader, events.error)).toEqual({
      type: 'error',
      at: 42,
      message: 'APIError: Scripted model: expected step 1',
    });
  });

  it('reports a failed tool with its error text', () => {
    const failed = partUpdated({
      id: 'prt_9',
      type: 'tool',
      tool: 'read',
      callID: 'c',
      state: { status: 'error', input: { filePath: '/x' }, error: 'File not found: /x' },
    });
    expect(harnessEvent(new SessionEvents('ses_1'), failed)).toMatchObject({
      status: 'error',
      output: 'File not found: /x',
    });
  });

  it("ends at the session's idle status, not at busy or at another session's", () => {
    const reader = new SessionEvents('ses_1');
    expect(reader.read(events.busy)).toBeUndefined();
    expect(
      reader.read({ type: 'session.status', properties: { sessionID: 'ses_2', status: { type: 'idle' } } }),
    ).toBeUndefined();
    expect(reader.read(events.idle)).toEqual({ type: 'idle' });
  });

  it("ignores the user's own messages, other sessions, unknown types and noise", () => {
    const reader = new SessionEvents('ses_1');
    expect(reader.read(events.userMessage)).toBeUndefined();
    for (const event of [
      events.userText,
      partUpdated({ id: 'prt_x', type: 'text', text: 'elsewhere', time: { end: 1 } }, 'ses_2'),
      { type: 'message.part.delta', properties: { sessionID: 'ses_1', delta: 'Wr' } },
      { type: 'server.heartbeat', properties: {} },
      partUpdated({ id: 'prt_r', type: 'reasoning', text: 'hmm', time: { end: 1 } }),
      { type: 'session.error', properties: { sessionID: 'ses_2', error: 'x' } },
    ])
      expect(reader.read(event)).toBeUndefined();
  });

  it('passes on permission requests of the session and of the subagent sessions it started', () => {
    const reader = new SessionEvents('ses_1');
    const asked = (sessionID: string, id: string): BusEvent => ({
      type: 'permission.asked',
      properties: { id, sessionID, permission: 'read', patterns: ['.env'] },
    });
    expect(reader.read(asked('ses_1', 'per_1'))).toEqual({
      type: 'permission',
      requestId: 'per_1',
      permission: 'read',
    });
    expect(reader.read(asked('ses_child', 'per_2'))).toBeUndefined();
    reader.read({ type: 'session.created', properties: { info: { id: 'ses_child', parentID: 'ses_1' } } });
    expect(reader.read(asked('ses_child', 'per_3'))).toMatchObject({ requestId: 'per_3' });
  });

  it('survives fields of the wrong type', () => {
    const reader = new SessionEvents('ses_1');
    expect(
      harnessEvent(reader, partUpdated({ type: 'step-finish', tokens: { input: 'many' }, cost: null })),
    ).toMatchObject({ tokens: { input: 0, output: 0 }, costUsd: 0 });
    expect(reader.read({ type: 'message.part.updated', properties: { part: 'nope' } })).toBeUndefined();
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
