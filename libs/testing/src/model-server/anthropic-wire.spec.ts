import { ScriptedModelServer } from './scripted-model-server';
import type { ModelScriptInput } from './script';

// Anthropic's Messages API against the same kind of script the OpenAI wire plays. Tools are
// shaped as `@ai-sdk/anthropic` sends OpenCode's: a name and an input_schema.
const tools = [
  {
    name: 'bash',
    description: 'Runs a command',
    input_schema: { type: 'object', properties: { command: {}, timeout: {} }, required: ['command'] },
  },
];

const script: ModelScriptInput = {
  title: 'Listing',
  usage: { input: 10, output: 2 },
  steps: [
    {
      name: 'list',
      match: { lastRole: 'user', userContains: 'List the files', toolsInclude: ['bash'] },
      respond: {
        text: 'Listing them.',
        toolCalls: [{ tool: 'bash', args: { command: 'ls -a' } }],
        usage: { input: 1000, output: 40 },
      },
    },
    {
      name: 'report',
      match: { lastRole: 'tool', lastContains: 'README.md' },
      respond: { text: 'One README.' },
    },
  ],
};

const key = 'sk-ant-scripted';
const headers = { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };
const system = [{ type: 'text', text: 'You are OpenCode.' }];
const prompt = { role: 'user', content: [{ type: 'text', text: 'List the files here.' }] };

interface Sse {
  event: string;
  data: Record<string, unknown> & { type: string };
}

function parseSse(text: string): Sse[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.trim())
    .map((frame) => {
      const event = /^event: (.+)$/m.exec(frame)![1]!;
      const data = JSON.parse(/^data: (.+)$/m.exec(frame)![1]!) as Sse['data'];
      return { event, data };
    });
}

describe('the scripted model server on Anthropic’s Messages API', () => {
  let server: ScriptedModelServer;
  const post = (body: unknown, extra: Record<string, string | undefined> = headers) =>
    fetch(`${server.baseUrl}/messages`, {
      method: 'POST',
      headers: Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)) as Record<
        string,
        string
      >,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeEach(async () => {
    server = await ScriptedModelServer.start({ script, apiKey: key });
  });
  afterEach(() => server.close());

  it('streams a step as Anthropic’s events: text and tool_use blocks, then the stop reason and usage', async () => {
    const res = await post({
      model: 'claude-x',
      max_tokens: 1024,
      stream: true,
      system,
      messages: [prompt],
      tools,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = parseSse(await res.text());
    expect(events.every((e) => e.event === e.data.type)).toBe(true);
    expect(events.map((e) => e.data.type)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[0]!.data).toMatchObject({
      message: {
        type: 'message',
        role: 'assistant',
        model: 'claude-x',
        content: [],
        stop_reason: null,
        usage: { input_tokens: 1000 },
      },
    });
    const deltas = (index: number) =>
      events
        .filter((e) => e.data.type === 'content_block_delta' && e.data.index === index)
        .map((e) => e.data.delta as { type: string; text?: string; partial_json?: string });
    expect(deltas(0).every((d) => d.type === 'text_delta')).toBe(true);
    expect(
      deltas(0)
        .map((d) => d.text)
        .join(''),
    ).toBe('Listing them.');
    expect(events[7]!.data).toEqual({
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'tool_use', id: 'call_1_0', name: 'bash', input: {} },
    });
    expect(deltas(1).every((d) => d.type === 'input_json_delta')).toBe(true);
    expect(
      JSON.parse(
        deltas(1)
          .map((d) => d.partial_json)
          .join(''),
      ),
    ).toEqual({ command: 'ls -a' });
    expect(events[11]!.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: 40 },
    });
    expect(server.failures).toEqual([]);
    expect(server.agentRequests[0]).toMatchObject({ wire: 'anthropic', step: 0 });
  });

  it('plays the next step on the tool_result, as a tool message, and answers a non-streamed Message', async () => {
    await post({ model: 'claude-x', max_tokens: 1024, system, messages: [prompt], tools });
    const res = await post({
      model: 'claude-x',
      max_tokens: 1024,
      system,
      tools,
      messages: [
        prompt,
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Listing them.' },
            { type: 'tool_use', id: 'call_1_0', name: 'bash', input: { command: 'ls -a' } },
          ],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'call_1_0',
              content: [{ type: 'text', text: 'README.md\n' }],
            },
          ],
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      id: 'msg_scripted_2',
      type: 'message',
      role: 'assistant',
      model: 'claude-x',
      content: [{ type: 'text', text: 'One README.' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: 10,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: 2,
      },
    });
    expect(server.failures).toEqual([]);
    expect(server.pendingSteps).toBe(0);
    const seen = server.agentRequests[1]!.body!.messages;
    expect(seen.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(seen[2]!.tool_calls).toEqual([
      { id: 'call_1_0', type: 'function', function: { name: 'bash', arguments: '{"command":"ls -a"}' } },
    ]);
    expect(seen[3]).toEqual({ role: 'tool', tool_call_id: 'call_1_0', content: 'README.md\n' });
  });

  it.each([
    ['no x-api-key', { ...headers, 'x-api-key': undefined }, {}, 401, 'authentication_error'],
    ['another key', { ...headers, 'x-api-key': 'sk-ant-guessed' }, {}, 401, 'authentication_error'],
    [
      'no anthropic-version',
      { ...headers, 'anthropic-version': undefined },
      {},
      400,
      'invalid_request_error',
    ],
    ['no max_tokens', headers, { max_tokens: undefined }, 400, 'invalid_request_error'],
    ['no model', headers, { model: undefined }, 400, 'invalid_request_error'],
  ])('refuses a request with %s as Anthropic does', async (_, sent, change, status, type) => {
    const body = { model: 'claude-x', max_tokens: 1024, messages: [prompt], tools, ...change };
    const res = await post(body, sent);
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ type: 'error', error: { type, message: expect.any(String) } });
    expect(server.failures).toHaveLength(1);
    expect(server.pendingSteps).toBe(2);
  });

  it('refuses a malformed body and a tool_result that answers no tool_use', async () => {
    const malformed = await post('{"model":');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    const orphan = await post({
      model: 'claude-x',
      max_tokens: 1024,
      messages: [
        prompt,
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_x', content: 'x' }] },
      ],
    });
    expect(orphan.status).toBe(400);
    expect(((await orphan.json()) as { error: { message: string } }).error.message).toContain(
      'must have a corresponding `tool_use` block in the previous message',
    );
  });

  it('answers a request the script cannot play with HTTP 500 in Anthropic’s error shape', async () => {
    const res = await post({
      model: 'claude-x',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Something else' }],
      tools,
    });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('api_error');
    expect(body.error.message).toContain('step 0 (list) to match');
    expect(server.failures[0]!.step).toBe(0);
  });

  it('refuses a prompt no script knows as Anthropic refuses a request: 400 invalid_request_error, one line', async () => {
    await server.close();
    server = await ScriptedModelServer.start({
      scripts: [{ ...script, when: { userContains: 'List the files' } }],
      apiKey: key,
    });
    const res = await post({
      model: 'claude-x',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Deploy' }],
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message:
          'the scripted model only knows the tasks it has scripts for (Listing), not "Deploy": set SANDBOX_MODEL_PROVIDER ' +
          'and SANDBOX_MODEL_API_KEY to run your own work (see "Model provider" in docs/sandbox.md)',
      },
    });
  });
});
