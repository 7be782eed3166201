import { openCodeConfig } from './opencode-config';

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
});
