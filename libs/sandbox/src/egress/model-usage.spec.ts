import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScriptedModelServer, type ModelScriptInput } from '@horizon/testing';
import type { ModelProvider } from '@horizon/contracts';
import { ModelUsageMeter } from './model-usage';
import { defaultFlavourPolicies } from './policy';
import { EgressProxy, type ModelRequestUsage } from './proxy';

// Each step reports different counts, so a count taken from the wrong response cannot pass.
const usages = [
  { input: 1200, output: 60, cached: 1000, cacheWrite: 100 },
  { input: 900, output: 45, cached: 0, cacheWrite: 300 },
  { input: 2500, output: 7, cached: 2048, cacheWrite: 0 },
  { input: 31, output: 1, cached: 0, cacheWrite: 0 },
];
const script: ModelScriptInput = {
  steps: usages.map((usage, i) => ({ match: 'any', respond: { text: `answer ${i} ✓`, usage } })),
};

/** What the proxy must have counted for a step's usage (OpenAI's wire reports no cache writes). */
const counted = (u: (typeof usages)[number], provider: ModelProvider) => ({
  model: 'scripted-1',
  input: u.input,
  output: u.output,
  cachedInput: u.cached,
  cacheWriteInput: provider === 'anthropic' ? u.cacheWrite : 0,
  reported: true,
  status: 200,
});

describe.each(['openai-compatible', 'anthropic'] as const)('the model route counts usage: %s', (provider) => {
  const dir = mkdtempSync(join(tmpdir(), 'hzn-model-usage-'));
  const seen: ModelRequestUsage[] = [];
  let server: ScriptedModelServer;
  let proxy: EgressProxy;

  beforeAll(async () => {
    server = await ScriptedModelServer.start({ script, models: ['scripted-1'] });
    proxy = new EgressProxy({
      socketPath: join(dir, 'egress.sock'),
      policy: defaultFlavourPolicies.implement,
      run: { repo: { owner: 'acme', name: 'app' }, branch: 'horizon/run-1' },
      credentials: {
        model: { provider: provider as ModelProvider, baseUrl: server.baseUrl, apiKey: 'sk-x' },
      },
      logFile: join(dir, 'egress.jsonl'),
      insidePort: 3128,
      onModelUsage: (usage) => seen.push(usage),
    });
    await proxy.start();
  });

  afterAll(async () => {
    await proxy.stop();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const path = provider === 'anthropic' ? '/_horizon/model/messages' : '/_horizon/model/chat/completions';
  const body = (stream: boolean) => ({
    model: 'scripted-1',
    max_tokens: 256,
    stream,
    ...(stream && provider !== 'anthropic' ? { stream_options: { include_usage: true } } : {}),
    messages: [{ role: 'user', content: 'hello' }],
  });

  /** Posts through the proxy, reading the response chunk by chunk as a client would. */
  function post(payload: unknown): Promise<{ status: number; chunks: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          socketPath: join(dir, 'egress.sock'),
          path,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (chunk: Buffer) => parts.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              chunks: parts.length,
              text: Buffer.concat(parts).toString(),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(payload));
    });
  }

  /** The usage callback follows the response's close, which may come just after the client's end. */
  async function nextUsage(count: number): Promise<ModelRequestUsage> {
    for (let i = 0; i < 100 && seen.length < count; i++) await new Promise((r) => setTimeout(r, 10));
    expect(seen).toHaveLength(count);
    return seen[count - 1]!;
  }

  it('counts a whole (non-streamed) response exactly as the provider reported it', async () => {
    const reply = await post(body(false));
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('answer 0 ✓');
    expect(await nextUsage(1)).toEqual(counted(usages[0]!, provider));
  });

  it('counts a streamed response from its events, passing every event through unchanged', async () => {
    const reply = await post(body(true));
    expect(reply.text).toMatch(provider === 'anthropic' ? /event: message_stop/ : /data: \[DONE\]/);
    expect(reply.chunks).toBeGreaterThan(1);
    expect(await nextUsage(2)).toEqual(counted(usages[1]!, provider));
    await post(body(true));
    expect(await nextUsage(3)).toEqual(counted(usages[2]!, provider));
  });

  it('counts a request the provider refused as a request with no usage', async () => {
    await post({ model: 'scripted-1' });
    const usage = await nextUsage(4);
    expect(usage).toMatchObject({ reported: false, input: 0, output: 0 });
    expect(usage.status).toBeGreaterThanOrEqual(400);
  });
});

describe('ModelUsageMeter', () => {
  const meter = (contentType: string, ...parts: string[]) => {
    const m = new ModelUsageMeter(contentType);
    for (const part of parts) m.observe(Buffer.from(part));
    return m.finish();
  };

  it('reads an event split anywhere, even inside a multi-byte character', () => {
    const event = `data: ${JSON.stringify({ object: 'chat.completion.chunk', model: 'gpt-4o', choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, note: 'é' } })}\n\ndata: [DONE]\n\n`;
    const bytes = Buffer.from(event);
    const at = bytes.indexOf(Buffer.from('é')) + 1;
    const m = new ModelUsageMeter('text/event-stream; charset=utf-8');
    m.observe(bytes.subarray(0, at));
    m.observe(bytes.subarray(at));
    expect(m.finish()).toMatchObject({ model: 'gpt-4o', input: 5, output: 2, reported: true });
  });

  it('takes the Anthropic output total from the last message_delta, not a sum', () => {
    const sse = (data: object) => `event: x\ndata: ${JSON.stringify(data)}\n\n`;
    const usage = meter(
      'text/event-stream',
      sse({
        type: 'message_start',
        message: {
          model: 'claude-sonnet-4-5',
          usage: { input_tokens: 10, cache_read_input_tokens: 90, output_tokens: 1 },
        },
      }),
      sse({ type: 'message_delta', usage: { output_tokens: 12 } }),
      sse({ type: 'message_delta', usage: { output_tokens: 30 } }),
    );
    expect(usage).toEqual({
      model: 'claude-sonnet-4-5',
      input: 100,
      output: 30,
      cachedInput: 90,
      cacheWriteInput: 0,
      reported: true,
    });
  });

  it('reads the OpenAI Responses API, whole and streamed', () => {
    const response = {
      object: 'response',
      model: 'o4-mini',
      usage: { input_tokens: 50, output_tokens: 8, input_tokens_details: { cached_tokens: 40 } },
    };
    const expected = {
      model: 'o4-mini',
      input: 50,
      output: 8,
      cachedInput: 40,
      cacheWriteInput: 0,
      reported: true,
    };
    expect(meter('application/json', JSON.stringify(response))).toEqual(expected);
    expect(
      meter('text/event-stream', `data: ${JSON.stringify({ type: 'response.completed', response })}\n\n`),
    ).toEqual(expected);
  });

  it('reports no usage for a stream sent without it, and for a body that is not JSON', () => {
    expect(
      meter('text/event-stream', 'data: {"object":"chat.completion.chunk","choices":[]}\n\n'),
    ).toMatchObject({ reported: false });
    expect(meter('application/json', '{"usage": ')).toMatchObject({ reported: false });
  });
});
