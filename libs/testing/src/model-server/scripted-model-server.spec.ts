import { ScriptedModelServer } from './scripted-model-server';
import type { ModelScriptInput } from './script';

// Tools shaped as OpenCode 1.18 offers them (parameter names included).
const tools = [
  {
    type: 'function',
    function: {
      name: 'write',
      parameters: {
        type: 'object',
        properties: { content: {}, filePath: {} },
        required: ['content', 'filePath'],
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'bash',
      parameters: {
        type: 'object',
        properties: { command: {}, timeout: {}, workdir: {} },
        required: ['command'],
      },
    },
  },
];

const script: ModelScriptInput = {
  title: 'Greeting file',
  usage: { input: 10, output: 2 },
  steps: [
    {
      name: 'write',
      match: { lastRole: 'user', userContains: 'greeting', toolsInclude: ['write'] },
      respond: {
        text: 'Writing the greeting now.',
        toolCalls: [{ tool: 'write', args: { filePath: '{{workdir}}/hi.txt', content: 'hi\n' } }],
        usage: { input: 1000, output: 40 },
      },
    },
    { name: 'finish', match: { lastRole: 'tool', lastContains: 'Wrote' }, respond: { text: 'Done.' } },
  ],
};

const userTurn = { role: 'user', content: 'Please add a greeting file.' };
const toolTurn = [
  userTurn,
  {
    role: 'assistant',
    content: null,
    tool_calls: [{ id: 'call_1_0', type: 'function', function: { name: 'write', arguments: '{}' } }],
  },
  { role: 'tool', tool_call_id: 'call_1_0', content: 'Wrote file successfully.' },
];

interface ToolCallDelta {
  index: number;
  id?: string;
  function: { name?: string; arguments: string };
}

interface SseResult {
  chunks: Array<{
    choices: Array<{ delta: Record<string, unknown>; finish_reason: string | null }>;
    usage?: unknown;
  }>;
  done: boolean;
}

async function post(server: ScriptedModelServer, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${server.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
    body: JSON.stringify(body),
  });
}

async function readSse(response: Response): Promise<SseResult> {
  const events = (await response.text()).split('\n\n').filter(Boolean);
  const data = events.map((e) => e.replace(/^data: /, ''));
  return {
    done: data[data.length - 1] === '[DONE]',
    chunks: data.filter((d) => d !== '[DONE]').map((d) => JSON.parse(d)),
  };
}

describe('ScriptedModelServer', () => {
  let server: ScriptedModelServer;
  beforeEach(async () => {
    server = await ScriptedModelServer.start({ script, vars: { workdir: '/work/repo' } });
  });
  afterEach(() => server.close());

  it('lists its models', async () => {
    const response = await fetch(`${server.baseUrl}/models`);
    expect(await response.json()).toEqual({
      object: 'list',
      data: [{ id: 'scripted', object: 'model', created: 0, owned_by: 'horizon-scripted' }],
    });
  });

  it('streams text and tool calls as chat.completion.chunk events, then usage and [DONE]', async () => {
    const response = await post(server, {
      model: 'm',
      stream: true,
      stream_options: { include_usage: true },
      messages: [userTurn],
      tools,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const { chunks, done } = await readSse(response);
    expect(done).toBe(true);

    const deltas = chunks.flatMap((c) => c.choices.map((choice) => choice.delta));
    expect(deltas.map((d) => d.content ?? '').join('')).toBe('Writing the greeting now.');
    expect(deltas.filter((d) => typeof d.content === 'string' && d.content !== '').length).toBeGreaterThan(1);
    const calls = deltas.flatMap((d) => (d.tool_calls as ToolCallDelta[] | undefined) ?? []);
    expect(calls[0]).toEqual({
      index: 0,
      id: 'call_1_0',
      type: 'function',
      function: { name: 'write', arguments: '' },
    });
    const args = calls.map((c) => c.function.arguments).join('');
    expect(JSON.parse(args)).toEqual({ filePath: '/work/repo/hi.txt', content: 'hi\n' });

    const finishes = chunks.flatMap((c) => c.choices.map((choice) => choice.finish_reason)).filter(Boolean);
    expect(finishes).toEqual(['tool_calls']);
    expect(chunks[chunks.length - 1]).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 1000, completion_tokens: 40, total_tokens: 1040 },
    });
  });

  it('sends no usage chunk unless asked for, and stops with finish_reason stop', async () => {
    await post(server, { model: 'm', stream: true, messages: [userTurn], tools });
    const { chunks } = await readSse(
      await post(server, { model: 'm', stream: true, messages: toolTurn, tools }),
    );
    expect(chunks.some((c) => c.usage !== undefined)).toBe(false);
    expect(chunks[chunks.length - 1]!.choices[0]!.finish_reason).toBe('stop');
  });

  it('answers without streaming when stream is false', async () => {
    const response = await post(server, { model: 'm', stream: false, messages: [userTurn], tools });
    expect(await response.json()).toMatchObject({
      object: 'chat.completion',
      model: 'm',
      choices: [
        {
          message: {
            role: 'assistant',
            content: 'Writing the greeting now.',
            tool_calls: [
              {
                id: 'call_1_0',
                type: 'function',
                function: { name: 'write', arguments: '{"filePath":"/work/repo/hi.txt","content":"hi\\n"}' },
              },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 1000, completion_tokens: 40 },
    });
  });

  it('answers the title request on the side, without playing a step', async () => {
    const title = await post(server, {
      model: 'small',
      stream: false,
      messages: [
        { role: 'system', content: 'You are a title generator. You output ONLY a thread title.' },
        { role: 'user', content: 'Please add a greeting file.' },
      ],
    });
    expect(await title.json()).toMatchObject({
      choices: [{ message: { content: 'Greeting file' }, finish_reason: 'stop' }],
    });
    expect(server.pendingSteps).toBe(2);
    await post(server, { model: 'm', messages: [userTurn], tools });
    expect(server.requests.map((r) => r.kind)).toEqual(['title', 'step']);
    expect(server.agentRequests.map((r) => r.step)).toEqual([0]);
  });

  it('fails loudly on a request the next step does not match, and lets the right one through after', async () => {
    const wrong = await post(server, {
      model: 'm',
      messages: [{ role: 'user', content: 'Delete everything.' }],
      tools,
    });
    expect(wrong.status).toBe(500);
    const body = (await wrong.json()) as { error: { message: string } };
    expect(body.error.message).toContain('step 0 (write)');
    expect(body.error.message).toContain('last user message does not contain "greeting"');
    expect(body.error.message).toContain('Delete everything.');
    expect(server.failures).toEqual([
      expect.objectContaining({
        requestIndex: 0,
        step: 0,
        received: expect.stringContaining('last role=user'),
      }),
    ]);

    expect((await post(server, { model: 'm', messages: [userTurn], tools })).status).toBe(200);
    expect(server.pendingSteps).toBe(1);
  });

  it('refuses a scripted tool call that does not fit the tools offered', async () => {
    const offeredWithoutWrite = tools.filter((t) => t.function.name !== 'write');
    const noWrite = await post(server, {
      model: 'm',
      messages: [userTurn],
      tools: [...offeredWithoutWrite, { ...tools[0]!, function: { ...tools[0]!.function, name: 'edit' } }],
    });
    expect(noWrite.status).toBe(500);
    expect(server.failures[0]!.expected).toContain('tools do not include write');

    const renamed = [
      {
        type: 'function',
        function: {
          name: 'write',
          parameters: { properties: { path: {}, content: {} }, required: ['path', 'content'] },
        },
      },
    ];
    const badArgs = await post(server, { model: 'm', messages: [userTurn], tools: renamed });
    expect(badArgs.status).toBe(500);
    expect(server.failures[1]!.expected).toContain('write lacks required path');
    expect(server.failures[1]!.expected).toContain('write has unknown filePath');
  });

  it('fails once the script has been played to its end', async () => {
    await post(server, { model: 'm', messages: [userTurn], tools });
    await post(server, { model: 'm', messages: toolTurn, tools });
    const extra = await post(server, { model: 'm', messages: toolTurn, tools });
    expect(extra.status).toBe(500);
    expect(server.failures[0]).toMatchObject({
      step: -1,
      expected: expect.stringContaining('all 2 steps were played'),
    });
  });

  it('records every request with its headers and body', async () => {
    await post(server, { model: 'm', stream: true, messages: [userTurn], tools });
    await fetch(`${server.baseUrl}/embeddings`, { method: 'POST', body: '{}' });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      kind: 'step',
      headers: expect.objectContaining({ authorization: 'Bearer sk-test' }),
      body: expect.objectContaining({ messages: [userTurn] }),
    });
    expect(server.requests[1]).toMatchObject({ path: '/v1/embeddings', kind: 'failure' });
    expect(server.failures[0]!.received).toContain('POST /v1/embeddings');
  });
});
