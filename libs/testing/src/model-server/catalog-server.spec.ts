import { request } from 'node:http';
import { RecordedRequest, ScriptedModelServer, ScriptFailure } from './scripted-model-server';
import type { ModelScriptInput } from './script';

// The bash tool as OpenCode 1.18 offers it.
const tools = [
  {
    type: 'function',
    function: {
      name: 'bash',
      parameters: { properties: { command: {}, timeout: {}, workdir: {} }, required: ['command'] },
    },
  },
];

const tests: ModelScriptInput = {
  title: 'Run the tests',
  when: { userContains: 'Run the tests' },
  usage: { input: 7, output: 3 },
  steps: [
    {
      name: 'run',
      match: { lastRole: 'user' },
      respond: { toolCalls: [{ tool: 'bash', args: { command: 'npm test --prefix {{workdir}}' } }] },
    },
    { name: 'report', match: { lastRole: 'tool', lastContains: 'passing' }, respond: { text: 'All pass.' } },
  ],
};
const lint: ModelScriptInput = {
  title: 'Lint the code',
  when: { userContains: 'Lint the code' },
  steps: [
    {
      match: { lastRole: 'user' },
      respond: { toolCalls: [{ tool: 'bash', args: { command: 'npx eslint .' } }] },
    },
    { match: { lastRole: 'tool' }, respond: { text: 'Clean.' } },
  ],
};

const system = { role: 'system', content: 'You are opencode.' };
const user = (content: string) => ({ role: 'user', content });
/** The conversation after `step` answers, each a bash call whose output was `output`. */
function after(prompt: string, steps: number, output = 'ok'): unknown[] {
  const messages: unknown[] = [system, user(prompt)];
  for (let i = 1; i <= steps; i += 1) {
    const id = `call_${i}_0`;
    messages.push({
      role: 'assistant',
      content: '',
      tool_calls: [{ id, type: 'function', function: { name: 'bash', arguments: '{}' } }],
    });
    messages.push({ role: 'tool', tool_call_id: id, content: output });
  }
  return messages;
}

interface Completion {
  choices: Array<{
    message: { content: string | null; tool_calls?: Array<{ id: string; function: { arguments: string } }> };
  }>;
  usage: { prompt_tokens: number };
}

interface Answer {
  status: number;
  json(): Promise<unknown>;
}

/**
 * POSTs a chat request on a connection of its own: a pooled keep-alive socket of a server
 * that has just been closed would fail the request after a restart.
 */
function chat(server: ScriptedModelServer, messages: unknown[], withTools = true): Promise<Answer> {
  const body = JSON.stringify({ model: 'scripted', messages, ...(withTools ? { tools } : {}) });
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.baseUrl}/chat/completions`,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode!, json: async () => JSON.parse(text) });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('ScriptedModelServer in catalog mode', () => {
  const logged: Array<{ request: RecordedRequest; failure?: ScriptFailure }> = [];
  let server: ScriptedModelServer;
  beforeEach(async () => {
    logged.length = 0;
    server = await ScriptedModelServer.start({
      scripts: [tests, lint],
      vars: { workdir: '/workspace' },
      onRequest: (request, failure) => logged.push({ request, failure }),
    });
  });
  afterEach(() => server.close());

  it('plays interleaved conversations, each from its own script and at its own step', async () => {
    const testsFirst = await chat(server, after('Run the tests, please.', 0));
    const lintFirst = await chat(server, after('Lint the code.', 0));
    const lintLast = await chat(server, after('Lint the code.', 1));
    const testsLast = await chat(server, after('Run the tests, please.', 1, '12 passing'));
    expect([testsFirst, lintFirst, lintLast, testsLast].map((r) => r.status)).toEqual([200, 200, 200, 200]);

    const first = (await testsFirst.json()) as Completion;
    expect(first.choices[0]!.message.tool_calls![0]!.function.arguments).toBe(
      JSON.stringify({ command: 'npm test --prefix /workspace' }),
    );
    expect(first.usage.prompt_tokens).toBe(7);
    expect(((await lintLast.json()) as Completion).choices[0]!.message.content).toBe('Clean.');
    expect(((await testsLast.json()) as Completion).choices[0]!.message.content).toBe('All pass.');
    expect(server.agentRequests.map((r) => [r.script, r.step])).toEqual([
      ['Run the tests', 0],
      ['Lint the code', 0],
      ['Lint the code', 1],
      ['Run the tests', 1],
    ]);
    expect(server.failures).toEqual([]);
  });

  it('keeps no state: a retried request gets the same answer, a new server carries on mid-conversation', async () => {
    const once = (await (await chat(server, after('Run the tests', 0))).json()) as Completion;
    const again = (await (await chat(server, after('Run the tests', 0))).json()) as Completion;
    expect(again.choices).toEqual(once.choices);
    // Tool call ids come from the step, so they stay unique across a restart.
    expect(once.choices[0]!.message.tool_calls![0]!.id).toBe('call_1_0');

    const port = server.port;
    await server.close();
    server = await ScriptedModelServer.start({ scripts: [tests, lint], vars: { workdir: '/w' }, port });
    const resumed = await chat(server, after('Run the tests', 1, '3 passing'));
    expect(((await resumed.json()) as Completion).choices[0]!.message.content).toBe('All pass.');
    expect(server.agentRequests.map((r) => r.step)).toEqual([1]);
  });

  it('still checks the step’s match, and fails once the script has ended', async () => {
    const wrong = await chat(server, after('Run the tests', 1, '2 failing'));
    expect(wrong.status).toBe(500);
    const ended = await chat(server, after('Lint the code', 2));
    expect(ended.status).toBe(500);
    expect(server.failures).toMatchObject([
      {
        script: 'Run the tests',
        step: 1,
        expected: expect.stringContaining('Run the tests step 1 (report) to match'),
        message: expect.stringContaining('last message does not contain "passing"'),
      },
      {
        script: 'Lint the code',
        step: -1,
        expected: 'no more requests: all 2 steps of Lint the code were played',
      },
    ]);
  });

  it('refuses a prompt no script knows with HTTP 400 saying what to do, and several matching with 500', async () => {
    // 400 in OpenAI's shape for a request it refuses: clients report it at once, they retry a 500.
    const none = await chat(server, after('Deploy to production', 0));
    expect(none.status).toBe(400);
    expect(await none.json()).toEqual({
      error: {
        message:
          'the scripted model only knows the tasks it has scripts for (Run the tests, Lint the code), not "Deploy to production": ' +
          'set SANDBOX_MODEL_PROVIDER and SANDBOX_MODEL_API_KEY to run your own work (see "Model provider" in docs/sandbox.md)',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
    expect(server.failures[0]!.message).toBe(
      `Scripted model: expected exactly one script whose when matches the conversation's first user message, ` +
        `but none does; candidates: Run the tests (userContains "Run the tests"), Lint the code (userContains "Lint the code"); ` +
        `received first user message "Deploy to production"`,
    );
    const both = await chat(server, after('Lint the code, then Run the tests', 0));
    expect(both.status).toBe(500);
    expect(server.failures.map((f) => [f.requestIndex, f.script, f.step])).toEqual([
      [0, undefined, -1],
      [1, undefined, -1],
    ]);
    expect(server.failures[1]!.expected).toContain('but 2 do (Run the tests, Lint the code)');
    expect(server.requests.map((r) => r.kind)).toEqual(['failure', 'failure']);
  });

  it('answers title requests with the matching script’s title, else a generic one', async () => {
    const title = async (prompt: string) => {
      const response = await chat(
        server,
        [
          { role: 'system', content: 'You are a title generator. You output ONLY a thread title.' },
          user('Generate a title for this conversation:\n'),
          user(prompt),
        ],
        false,
      );
      return ((await response.json()) as Completion).choices[0]!.message.content;
    };
    expect(await title('Lint the code in src/')).toBe('Lint the code');
    expect(await title('Something else')).toBe('Scripted task');
    expect(server.requests.map((r) => [r.kind, r.script])).toEqual([
      ['title', 'Lint the code'],
      ['title', undefined],
    ]);
  });

  it('reports every answered request to onRequest, failures included', async () => {
    await fetch(`${server.baseUrl}/models`);
    await chat(server, after('Lint the code', 0));
    await chat(server, after('Nothing known', 0));
    expect(
      logged.map(({ request, failure }) => [request.kind, request.script, request.step, !!failure]),
    ).toEqual([
      ['models', undefined, undefined, false],
      ['step', 'Lint the code', 0, false],
      ['failure', undefined, undefined, true],
    ]);
    expect(logged[2]!.failure).toBe(server.failures[0]);
  });

  it('has no pendingSteps (conversations are not tracked) and counts its scripts', () => {
    expect(() => server.pendingSteps).toThrow('pendingSteps has no meaning in catalog mode');
    expect(server.scriptCount).toBe(2);
  });
});

describe('ScriptedModelServer with keepRequests off', () => {
  it('keeps no requests but still numbers failures by arrival', async () => {
    const server = await ScriptedModelServer.start({ scripts: [lint], keepRequests: false });
    try {
      await chat(server, after('Lint the code', 0));
      await chat(server, after('Unknown', 0));
      expect(server.requests).toEqual([]);
      expect(server.failures.map((f) => f.requestIndex)).toEqual([1]);
    } finally {
      await server.close();
    }
  });
});
