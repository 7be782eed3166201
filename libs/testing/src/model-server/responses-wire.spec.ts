import OpenAI from 'openai';
import type { ResponseInputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { ScriptedModelServer } from './scripted-model-server';
import type { ModelScriptInput } from './script';

// OpenAI's Responses API, spoken to by the official `openai` client, against the same kind of
// script the other wires play. Tools are shaped as Codex sends its own: function tools with
// JSON-schema parameters.
const tools: OpenAI.Responses.FunctionTool[] = [
  {
    type: 'function',
    name: 'exec_command',
    description: 'Runs a command',
    strict: false,
    parameters: {
      type: 'object',
      properties: { cmd: { type: 'string' }, workdir: { type: 'string' } },
      required: ['cmd'],
      additionalProperties: false,
    },
  },
];

const script: ModelScriptInput = {
  usage: { input: 10, output: 2 },
  steps: [
    {
      name: 'list',
      match: { lastRole: 'user', userContains: 'List the files', toolsInclude: ['exec_command'] },
      respond: {
        text: 'Listing them.',
        toolCalls: [{ tool: 'exec_command', args: { cmd: 'ls -a' } }],
        usage: { input: 1000, output: 40, cached: 600 },
      },
    },
    {
      name: 'report',
      match: { lastRole: 'tool', lastContains: 'README.md' },
      respond: { text: 'One README.' },
    },
  ],
};

const key = 'sk-scripted-responses';
const prompt: ResponseInputItem = {
  type: 'message',
  role: 'user',
  content: [{ type: 'input_text', text: 'List the files here.' }],
};

describe('the scripted model server on OpenAI’s Responses API', () => {
  let server: ScriptedModelServer;
  let client: OpenAI;

  beforeEach(async () => {
    server = await ScriptedModelServer.start({ script, apiKey: key });
    client = new OpenAI({ apiKey: key, baseURL: server.baseUrl, maxRetries: 0 });
  });
  afterEach(() => server.close());

  it('streams a step as the Responses events: a message and a function call, then the usage', async () => {
    const stream = await client.responses.create({
      model: 'gpt-scripted',
      instructions: 'You are Codex.',
      input: [prompt],
      tools,
      stream: true,
      store: false,
    });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events[0]).toMatchObject({
      response: { status: 'in_progress', output: [], model: 'gpt-scripted' },
    });
    const text = events.flatMap((e) => (e.type === 'response.output_text.delta' ? [e.delta] : []));
    expect(text.join('')).toBe('Listing them.');
    const args = events.flatMap((e) =>
      e.type === 'response.function_call_arguments.delta' ? [e.delta] : [],
    );
    expect(JSON.parse(args.join(''))).toEqual({ cmd: 'ls -a' });
    expect(events[10]).toMatchObject({
      item: { type: 'function_call', name: 'exec_command', call_id: 'call_1_0', arguments: '' },
    });
    const completed = events.at(-1)!;
    if (completed.type !== 'response.completed') throw new Error('no response.completed');
    expect(completed.response).toMatchObject({
      status: 'completed',
      instructions: 'You are Codex.',
      output: [
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Listing them.' }] },
        { type: 'function_call', call_id: 'call_1_0', name: 'exec_command', arguments: '{"cmd":"ls -a"}' },
      ],
      usage: {
        input_tokens: 1000,
        input_tokens_details: { cached_tokens: 600 },
        output_tokens: 40,
        total_tokens: 1040,
      },
    });
    expect(server.failures).toEqual([]);
    expect(server.agentRequests[0]).toMatchObject({ wire: 'openai-responses', step: 0 });
    expect(server.agentRequests[0]!.body!.messages.map((m) => m.role)).toEqual(['system', 'user']);
  });

  it('plays the next step on the function_call_output, as a tool message, and answers a whole Response', async () => {
    const first = await client.responses.create({ model: 'gpt-scripted', input: [prompt], tools });
    expect(first.output_text).toBe('Listing them.');
    const call = first.output.find((item) => item.type === 'function_call')!;
    const second = await client.responses.create({
      model: 'gpt-scripted',
      tools,
      input: [
        { type: 'message', role: 'developer', content: 'Work in the repository.' },
        prompt,
        ...first.output.map((item) => item as ResponseInputItem),
        { type: 'function_call_output', call_id: call.call_id, output: 'README.md\n' },
      ],
    });
    expect(second).toMatchObject({
      id: 'resp_scripted_2',
      object: 'response',
      status: 'completed',
      error: null,
      output: [{ type: 'message', content: [{ type: 'output_text', text: 'One README.', annotations: [] }] }],
      usage: { input_tokens: 10, output_tokens: 2, output_tokens_details: { reasoning_tokens: 0 } },
    });
    expect(second.output_text).toBe('One README.');
    expect(server.failures).toEqual([]);
    expect(server.pendingSteps).toBe(0);
    const seen = server.agentRequests[1]!.body!.messages;
    // The answer's message and its call are one assistant turn, as the script counts steps.
    expect(seen.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(seen[2]).toEqual({
      role: 'assistant',
      content: 'Listing them.',
      tool_calls: [
        {
          id: 'call_1_0',
          type: 'function',
          function: { name: 'exec_command', arguments: '{"cmd":"ls -a"}' },
        },
      ],
    });
    expect(seen[3]).toEqual({ role: 'tool', tool_call_id: 'call_1_0', content: 'README.md\n' });
    expect(server.requests[1]!.headers.authorization).toBe(`Bearer ${key}`);
  });

  it('offers the functions of a namespace tool as <namespace>__<name>, and calls one in its namespace', async () => {
    await server.close();
    server = await ScriptedModelServer.start({
      script: {
        steps: [
          {
            match: { toolsInclude: ['mcp__horizon__repo_conventions'] },
            respond: { toolCalls: [{ tool: 'mcp__horizon__repo_conventions', args: {} }] },
          },
          { match: { lastRole: 'tool', lastContains: 'Use tabs' }, respond: { text: 'Tabs it is.' } },
        ],
      },
    });
    client = new OpenAI({ apiKey: key, baseURL: server.baseUrl, maxRetries: 0 });
    // Codex's shape for an MCP server's tools; the SDK's types do not list it yet.
    const namespaced = {
      type: 'namespace',
      name: 'mcp__horizon',
      description: 'Tools of the horizon MCP server',
      tools: [{ type: 'function', name: 'repo_conventions', parameters: { type: 'object', properties: {} } }],
    } as unknown as OpenAI.Responses.FunctionTool;
    const first = await client.responses.create({
      model: 'm',
      input: [prompt],
      tools: [...tools, namespaced],
    });
    expect(first.output).toEqual([
      expect.objectContaining({ type: 'function_call', name: 'repo_conventions', namespace: 'mcp__horizon' }),
    ]);
    const second = await client.responses.create({
      model: 'm',
      tools: [...tools, namespaced],
      input: [
        prompt,
        ...first.output.map((item) => item as ResponseInputItem),
        { type: 'function_call_output', call_id: 'call_1_0', output: 'Use tabs.' },
      ],
    });
    expect(second.output_text).toBe('Tabs it is.');
    expect(server.failures).toEqual([]);
    expect(server.agentRequests[1]!.body!.messages[1]!.tool_calls).toEqual([
      {
        id: 'call_1_0',
        type: 'function',
        function: { name: 'mcp__horizon__repo_conventions', arguments: '{}' },
      },
    ]);
  });

  const refused = async (body: unknown, apiKey = key) => {
    const res = await fetch(`${server.baseUrl}/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { error: Record<string, unknown> } };
  };

  it.each([
    [
      'no model',
      { input: 'Hi' },
      "Missing required parameter: 'model'.",
      'model',
      'missing_required_parameter',
    ],
    [
      'no input',
      { model: 'm' },
      "Missing required parameter: 'input'.",
      'input',
      'missing_required_parameter',
    ],
    [
      'a model that is not a string',
      { model: 42, input: 'Hi' },
      "Invalid type for 'model': expected a string, but got an integer instead.",
      'model',
      'invalid_type',
    ],
    [
      'an input that is an object',
      { model: 'm', input: { text: 'Hi' } },
      "Invalid type for 'input': expected one of a string or array of input items, but got an object instead.",
      'input',
      'invalid_type',
    ],
    [
      'a stream flag that is a string',
      { model: 'm', input: 'Hi', stream: 'yes' },
      "Invalid type for 'stream': expected a boolean, but got a string instead.",
      'stream',
      'invalid_type',
    ],
    [
      'an output for a call never made',
      { model: 'm', input: [{ type: 'function_call_output', call_id: 'call_9', output: 'x' }] },
      'No tool call found for function call output with call_id call_9.',
      'input',
      null,
    ],
  ])('refuses %s with 400 in OpenAI’s error shape', async (_, body, message, param, code) => {
    expect(await refused(body)).toEqual({
      status: 400,
      body: { error: { message, type: 'invalid_request_error', param, code } },
    });
    expect(server.failures).toHaveLength(1);
    expect(server.pendingSteps).toBe(2);
  });

  it('refuses a body that is not JSON, and another key with 401', async () => {
    expect((await refused('{not json')).status).toBe(400);
    expect(await refused({ model: 'm', input: 'Hi' }, 'sk-guessed')).toEqual({
      status: 401,
      body: {
        error: {
          message: 'Incorrect API key provided',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      },
    });
  });

  it('reports a refusal to the official client as a BadRequestError, not retried', async () => {
    const error = await client.responses
      .create({ model: 'm', input: 42 as unknown as string })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, param: 'input', code: 'invalid_type' });
    expect(server.requests).toHaveLength(1);
  });

  it('answers a request the script cannot answer with 500 in the same shape', async () => {
    const error = await client.responses
      .create({ model: 'm', input: 'Something else entirely.', tools })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.error).toMatchObject({ type: 'scripted_model_mismatch', code: 'script_mismatch' });
    expect(server.failures[0]!.expected).toContain('List the files');
  });
});
