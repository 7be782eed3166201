import { openCodeConfig, PROXY_KEY_PLACEHOLDER } from './opencode-config';

describe('openCodeConfig', () => {
  const model = { baseUrl: 'http://127.0.0.1:3128/_horizon/model', model: 'm' };

  it('adds mcp-context as a remote MCP server whose token is read from a file, not written in', () => {
    const config = openCodeConfig(model, undefined, {
      url: 'http://mcp/mcp',
      tokenFile: '/s/mcp-token',
      runId: 'run-1',
    });
    expect(config.mcp).toEqual({
      horizon: {
        type: 'remote',
        url: 'http://mcp/mcp',
        enabled: true,
        headers: { Authorization: 'Bearer {file:/s/mcp-token}', 'X-Horizon-Run': 'run-1' },
      },
    });
  });

  it('has no MCP server without one', () => {
    expect(openCodeConfig(model, undefined)).not.toHaveProperty('mcp');
  });

  const provider = (config: Record<string, unknown>) =>
    (config.provider as Record<string, { npm: string; options: Record<string, string> }>).horizon!;

  it('speaks OpenAI chat completions with no key of its own by default, and for openai', () => {
    for (const config of [
      openCodeConfig(model, undefined),
      openCodeConfig({ ...model, provider: 'openai' }, undefined),
    ])
      expect(provider(config)).toMatchObject({
        npm: '@ai-sdk/openai-compatible',
        options: { baseURL: 'http://127.0.0.1:3128/_horizon/model' },
      });
    expect(provider(openCodeConfig(model, undefined)).options).not.toHaveProperty('apiKey');
  });

  it('speaks the Messages API for anthropic, with a placeholder key the proxy replaces', () => {
    expect(provider(openCodeConfig({ ...model, provider: 'anthropic' }, undefined))).toMatchObject({
      npm: '@ai-sdk/anthropic',
      options: { baseURL: 'http://127.0.0.1:3128/_horizon/model', apiKey: PROXY_KEY_PLACEHOLDER },
    });
  });

  it('refers to a key file rather than holding the key, whatever the provider', () => {
    const config = openCodeConfig({ ...model, provider: 'anthropic' }, '/s/provider-key');
    expect(provider(config).options.apiKey).toBe('{file:/s/provider-key}');
  });
});
