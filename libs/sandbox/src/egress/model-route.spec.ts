import http, { type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelRouteHeaders, upstreamModelUrl } from './model-route';
import { defaultFlavourPolicies } from './policy';
import { EgressProxy } from './proxy';

const key = 'sk-ant-REALkey0123456789';

describe('upstreamModelUrl', () => {
  it('maps the route onto the provider base, and a client’s own /v1 onto the base’s', () => {
    const base = 'https://api.anthropic.com/v1';
    expect(upstreamModelUrl(base, '/messages').href).toBe('https://api.anthropic.com/v1/messages');
    expect(upstreamModelUrl(`${base}/`, '/v1/messages?beta=true').href).toBe(
      'https://api.anthropic.com/v1/messages?beta=true',
    );
    // A base without /v1 (an OpenAI-compatible server at its root) keeps the path as sent.
    expect(upstreamModelUrl('http://10.0.0.5:8000', '/v1/chat/completions').href).toBe(
      'http://10.0.0.5:8000/v1/chat/completions',
    );
    expect(upstreamModelUrl(base, '/v1beta/models').href).toBe('https://api.anthropic.com/v1/v1beta/models');
  });
});

describe('modelRouteHeaders', () => {
  const sent: IncomingHttpHeaders = {
    'content-type': 'application/json',
    'anthropic-version': '2023-06-01',
    'anthropic-beta': 'fine-grained-tool-streaming-2025-05-14',
    'x-api-key': 'placeholder-from-the-sandbox',
    authorization: 'Bearer guessed',
    'api-key': 'guessed-azure',
    'X-Goog-Api-Key': 'guessed-google',
    'user-agent': 'ai-sdk/anthropic',
    'accept-encoding': 'gzip, br',
  };

  it('anthropic: the run key as x-api-key, no client credential, the version and beta headers kept', () => {
    expect(modelRouteHeaders('anthropic', sent, key)).toEqual({
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'fine-grained-tool-streaming-2025-05-14',
      'user-agent': 'ai-sdk/anthropic',
      'accept-encoding': 'identity',
      'x-api-key': key,
    });
  });

  it.each(['openai', 'openai-compatible'] as const)(
    '%s: the run key as a Bearer authorization, no client credential',
    (provider) => {
      const out = modelRouteHeaders(provider, sent, key);
      expect(out.authorization).toBe(`Bearer ${key}`);
      expect(Object.keys(out).filter((name) => /key/i.test(name))).toEqual([]);
      expect(out['content-type']).toBe('application/json');
    },
  );
});

describe('the egress proxy model route, anthropic', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hzn-model-route-'));
  const seen: IncomingHttpHeaders[] = [];
  const upstream = http.createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path: req.url }));
  });
  let proxy: EgressProxy;

  beforeAll(async () => {
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const { port } = upstream.address() as AddressInfo;
    proxy = new EgressProxy({
      socketPath: join(dir, 'egress.sock'),
      policy: defaultFlavourPolicies.implement,
      run: { repo: { owner: 'acme', name: 'app' }, branch: 'horizon/run-1' },
      credentials: { model: { provider: 'anthropic', baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: key } },
      logFile: join(dir, 'egress.jsonl'),
      insidePort: 3128,
    });
    await proxy.start();
  });

  afterAll(async () => {
    await proxy.stop();
    await new Promise((resolve) => upstream.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  function post(headers: Record<string, string>): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          socketPath: join(dir, 'egress.sock'),
          path: '/_horizon/model/messages',
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
  }

  it('forwards to <baseUrl>/messages with the key it holds, whatever the sandbox sent', async () => {
    const reply = await post({
      'x-api-key': 'sandbox-placeholder',
      authorization: 'Bearer sandbox-guess',
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'interleaved-thinking-2025-05-14',
    });
    expect(reply).toEqual({ status: 200, body: JSON.stringify({ path: '/v1/messages' }) });
    const headers = seen.at(-1)!;
    expect(headers['x-api-key']).toBe(key);
    expect(headers.authorization).toBeUndefined();
    expect(headers['anthropic-version']).toBe('2023-06-01');
    expect(headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14');
  });

  it('adds the key when the sandbox sent none', async () => {
    await post({ 'anthropic-version': '2023-06-01' });
    expect(seen.at(-1)!['x-api-key']).toBe(key);
  });
});
