import { codexArgs, codexConfig, codexEnv } from './codex-config';

let parse: typeof import('smol-toml', { with: { 'resolution-mode': 'import' } }).parse;
beforeAll(async () => {
  ({ parse } = await import('smol-toml'));
});

const model = { baseUrl: 'http://127.0.0.1:8070/v1', model: 'gpt-scripted', apiKey: 'sk-secret' };

describe('the Codex configuration of a run', () => {
  it('points the provider at the base URL on the Responses wire, the key read from its file by a command', () => {
    const text = codexConfig(model, '/state/secrets/provider-key');
    expect(text).not.toContain('sk-secret');
    expect(parse(text)).toMatchObject({
      model: 'gpt-scripted',
      model_provider: 'horizon',
      sandbox_mode: 'danger-full-access',
      approval_policy: 'never',
      check_for_update_on_startup: false,
      analytics: { enabled: false },
      model_providers: {
        horizon: {
          base_url: 'http://127.0.0.1:8070/v1',
          wire_api: 'responses',
          auth: { command: 'cat', args: ['/state/secrets/provider-key'] },
        },
      },
    });
  });

  it('sends no key without one (the egress proxy adds it) and adds mcp-context with its run-scoped token', () => {
    const config = parse(
      codexConfig(model, undefined, { url: 'http://mcp/mcp', token: 't0k', runId: 'run-1' }),
    ) as {
      model_providers: { horizon: Record<string, unknown> };
      mcp_servers: unknown;
    };
    expect(config.model_providers.horizon.auth).toBeUndefined();
    expect(config.mcp_servers).toEqual({
      horizon: {
        url: 'http://mcp/mcp',
        http_headers: { Authorization: 'Bearer t0k', 'X-Horizon-Run': 'run-1' },
      },
    });
  });

  it('gives Codex an environment of its own folders and the task variables only', () => {
    const taskEnv = { HORIZON_RUN_ID: 'r', TMPDIR: '/tmp' };
    expect(codexEnv({ stateDir: '/state', path: '/usr/bin:/bin', taskEnv })).toEqual({
      PATH: '/usr/bin:/bin',
      LANG: 'C.UTF-8',
      HORIZON_RUN_ID: 'r',
      HOME: '/state/home',
      CODEX_HOME: '/state/codex-home',
      // Not the sandbox's /tmp: Codex makes no PATH aliases in a CODEX_HOME under its TMPDIR.
      TMPDIR: '/state/tmp',
    });
  });

  it('starts a thread in the workdir, or resumes one; the prompt comes on stdin', () => {
    expect(codexArgs({ model: 'm', workdir: '/w' })).toEqual([
      'exec',
      '--json',
      '--skip-git-repo-check',
      '--strict-config',
      '-m',
      'm',
      '-C',
      '/w',
      '-',
    ]);
    expect(codexArgs({ model: 'm', workdir: '/w', session: 'abc' })).toEqual([
      'exec',
      'resume',
      '--json',
      '--skip-git-repo-check',
      '--strict-config',
      '-m',
      'm',
      'abc',
      '-',
    ]);
  });
});
