import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ScriptedModelServer } from '@horizon/testing';
import { ClaudeCodeHarness, HarnessEvent, HarnessResult } from '../src/harness';
import { HarnessFixtures, collect } from './support/harness-fixtures';

// Real Claude Code (the pinned npm package's native binary) against the scripted model server
// on Anthropic's Messages API, outside any sandbox (agent-run.test.ts runs it in one).
jest.setTimeout(60_000);

const harness = new ClaudeCodeHarness({ killGraceMs: 1000 });
const fixtures = new HarnessFixtures('cc');
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );

afterAll(() => {
  fixtures.removeAll();
});

describe('Claude Code: a scripted task that writes a file and runs commands', () => {
  const providerKey = `sk-ant-horizon-fake-${randomUUID()}`;
  let repo: string;
  let stateDir: string;
  let server: ScriptedModelServer;
  let events: HarnessEvent[];
  let result: HarnessResult;
  let argvSeen: string;
  let envSeen: string;

  beforeAll(async () => {
    repo = fixtures.gitRepo();
    stateDir = fixtures.tempDir('state');
    server = await ScriptedModelServer.start({ script: 'claude-write-and-run.yaml', apiKey: providerKey });
    const run = harness.start({
      prompt: 'Create hello.txt with a greeting, then show it.',
      workdir: repo,
      model: {
        provider: 'anthropic',
        baseUrl: server.baseUrl,
        model: 'scripted',
        apiKey: providerKey,
        costPerMillionTokens: { input: 3, output: 15 },
      },
      env: { HORIZON_RUN_ID: 'run-1' },
      deadlineMs: 30_000,
      context: { runId: 'run-1', stateDir },
    });
    const collecting = collect(run);
    argvSeen = readFileSync(`/proc/${run.pid}/cmdline`, 'utf8');
    envSeen = readFileSync(`/proc/${run.pid}/environ`, 'utf8');
    [events, result] = await Promise.all([collecting, run.result]);
  });
  afterAll(() => server.close());

  it('completes, having played the whole script with the key the provider wants', () => {
    expect(server.failures).toEqual([]);
    expect(server.pendingSteps).toBe(0);
    expect(result).toMatchObject({ exit: 'completed' });
    expect(result.session).toMatch(/^[0-9a-f-]{36}$/);
    expect(readFileSync(join(repo, 'hello.txt'), 'utf8')).toBe('Hello from Horizon\n');
  });

  it('reports the text, each command with its exit code, and the usage of the whole turn', () => {
    const tools = events.filter((e) => e.type === 'tool_use');
    expect(tools.map((t) => [t.tool, t.status, t.exitCode])).toEqual([
      ['bash', 'completed', 0],
      ['bash', 'error', 1],
    ]);
    expect(tools[1]!.output).toContain('Hello from Horizon');
    expect(events.filter((e) => e.type === 'text').map((e) => e.text)).toEqual([
      'I will create hello.txt.',
      'Created hello.txt and checked its content.',
    ]);
    // Input: 200 new + 1000 read from the cache, then 1300 and 1500; output 60 + 30 + 15.
    expect(result.usage).toEqual({
      inputTokens: 4000,
      outputTokens: 105,
      costUsd: (4000 * 3 + 105 * 15) / 1e6,
    });
  });

  it('keeps the key out of its argv, its environment and what its commands print; its files are 0600', () => {
    expect(argvSeen).not.toContain(providerKey);
    expect(envSeen).not.toContain(providerKey);
    expect(envSeen).toContain('ANTHROPIC_BASE_URL=');
    expect(JSON.stringify(events)).not.toContain(providerKey);
    const secrets = filesUnder(join(stateDir, 'secrets'));
    expect(secrets.map((f) => f.slice(stateDir.length)).sort()).toEqual([
      '/secrets/provider-key',
      '/secrets/settings.json',
    ]);
    for (const file of secrets) expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('Claude Code: how a turn ends when it does not complete', () => {
  it('a command that outlasts the deadline: timed_out, its processes gone', async () => {
    const server = await ScriptedModelServer.start({ script: 'claude-sleep.yaml' });
    try {
      const run = harness.start({
        prompt: 'Wait.',
        workdir: fixtures.gitRepo(),
        model: { provider: 'anthropic', baseUrl: server.baseUrl, model: 'scripted', apiKey: 'k' },
        deadlineMs: 4_000,
        context: { runId: 'run-2' },
      });
      const result = await run.result;
      expect(result).toMatchObject({ exit: 'timed_out', error: 'deadline of 4000 ms passed' });
      expect(existsSync(`/proc/${run.pid}`)).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('a provider that refuses the key: failed, with the provider’s words', async () => {
    const server = await ScriptedModelServer.start({ script: 'claude-sleep.yaml', apiKey: 'the-right-key' });
    try {
      const run = harness.start({
        prompt: 'Wait.',
        workdir: fixtures.gitRepo(),
        model: { provider: 'anthropic', baseUrl: server.baseUrl, model: 'scripted', apiKey: 'a-wrong-key' },
        deadlineMs: 30_000,
        context: { runId: 'run-3' },
      });
      const result = await run.result;
      expect(result.exit).toBe('failed');
      expect(result.error).toMatch(/401|invalid|key|auth/i);
    } finally {
      await server.close();
    }
  });

  it('a binary that is not there: failed, naming it', async () => {
    const missing = new ClaudeCodeHarness({ binary: '/nonexistent/claude' });
    const result = await missing.start({
      prompt: 'Hi.',
      workdir: fixtures.gitRepo(),
      model: { provider: 'anthropic', baseUrl: 'http://127.0.0.1:9/v1', model: 'scripted' },
      deadlineMs: 10_000,
      context: { runId: 'run-4' },
    }).result;
    expect(result.exit).toBe('failed');
    expect(result.error).toMatch(/\/nonexistent\/claude|ENOENT/);
  });
});
