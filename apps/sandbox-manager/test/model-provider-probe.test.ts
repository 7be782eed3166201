import { freePort, loadScript, ScriptedModelServer } from '@horizon/testing';
import { checkModelProvider } from '../src/application/model-provider-probe';

/**
 * Settings' model provider check against the scripted model server, which lists its models
 * only for the key it was given, on either provider's header (as OpenAI and Anthropic do).
 */
describe('the model provider check', () => {
  let server: ScriptedModelServer;
  const apiKey = 'sk-the-right-one';

  beforeAll(async () => {
    server = await ScriptedModelServer.start({ script: loadScript('say-done.json'), apiKey });
  });
  afterAll(() => server?.close());

  it('answers with what the provider offers, on the OpenAI wire and on Anthropic’s', async () => {
    for (const provider of ['openai-compatible', 'anthropic'] as const) {
      const check = await checkModelProvider({ provider, baseUrl: server.baseUrl, apiKey });
      expect(check).toMatchObject({
        integration: 'model',
        service: 'sandbox-manager',
        configured: true,
        answering: true,
        latencyMs: expect.any(Number),
      });
      expect(check.detail).toMatch(
        new RegExp(`^${provider} answering at ${new URL(server.baseUrl).origin}, \\d+ model`),
      );
    }
  });

  it('says the provider refused a wrong key, without showing either key', async () => {
    const check = await checkModelProvider({
      provider: 'openai-compatible',
      baseUrl: server.baseUrl,
      apiKey: 'sk-wrong',
    });
    expect(check).toMatchObject({ configured: true, answering: false });
    expect(check.detail).toMatch(/answered 401/);
    expect(JSON.stringify(check)).not.toMatch(/sk-/);
  });

  it('says nobody answers at an address nothing listens on', async () => {
    const baseUrl = `http://127.0.0.1:${await freePort()}/v1`;
    const check = await checkModelProvider({ provider: 'openai', baseUrl, apiKey });
    expect(check).toMatchObject({ configured: true, answering: false });
    expect(check.detail).toMatch(/ECONNREFUSED/);
  });

  it('names the setting to set when no provider is configured, and probes nothing', async () => {
    const check = await checkModelProvider(null);
    expect(check).toMatchObject({
      configured: false,
      answering: null,
      settings: ['SANDBOX_MODEL_API_KEY'],
      detail: expect.stringMatching(/not configured: set SANDBOX_MODEL_API_KEY for the sandbox-manager/),
    });
  });
});
