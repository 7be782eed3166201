import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScriptedModelServer } from '@horizon/testing';
import { CodexHarness, HarnessEvent, HarnessResult, HarnessRun } from '../src/harness';
import {
  HarnessFixtures,
  collect,
  alive,
  processesWith,
  until,
  expectFailedWithoutItsBinary,
  expectKilledAtTheDeadline,
} from './support/harness-fixtures';

// Real Codex (the pinned npm package's native binary) against the scripted model server on
// OpenAI's Responses API, outside any sandbox (codex-sandbox.test.ts runs it in one).
jest.setTimeout(60_000);

const harness = new CodexHarness({ killGraceMs: 1000 });
const fixtures = new HarnessFixtures('cx');
afterAll(() => {
  fixtures.removeAll();
});

describe('a scripted task that writes a file and runs commands', () => {
  const providerKey = `sk-horizon-fake-${randomUUID()}`;
  const outsideSecret = `outside-${randomUUID()}`;
  let repo: string;
  let stateDir: string;
  let server: ScriptedModelServer;
  let events: HarnessEvent[];
  let result: HarnessResult;
  let argvSeen: string;

  beforeAll(async () => {
    repo = fixtures.gitRepo();
    stateDir = fixtures.tempDir('state');
    server = await ScriptedModelServer.start({
      script: 'codex-write-and-run.yaml',
      vars: { workdir: repo },
      apiKey: providerKey,
    });
    // A secret in the runner's own environment must not reach the agent.
    process.env.HORIZON_TEST_OUTSIDE_SECRET = outsideSecret;
    let run: HarnessRun;
    try {
      run = harness.start({
        prompt: 'Create hello.txt with a greeting, then show it.',
        workdir: repo,
        model: {
          baseUrl: server.baseUrl,
          model: 'scripted',
          apiKey: providerKey,
          costPerMillionTokens: { input: 3, output: 15 },
        },
        env: { HORIZON_RUN_ID: 'run-1' },
        deadlineMs: 30_000,
        context: { runId: 'run-1', stateDir },
      });
    } finally {
      delete process.env.HORIZON_TEST_OUTSIDE_SECRET;
    }
    const collecting = collect(run);
    await until(() => server.requests.length > 0, 20_000);
    argvSeen = readFileSync(`/proc/${run.pid}/cmdline`, 'utf8');
    [events, result] = await Promise.all([collecting, run.result]);
  });

  afterAll(() => server.close());

  it('completes and plays the whole script on the Responses wire', () => {
    expect(server.failures).toEqual([]);
    expect(result).toMatchObject({ exit: 'completed', session: expect.any(String), unanswered: [] });
    expect(server.pendingSteps).toBe(0);
    expect(server.agentRequests.every((r) => r.wire === 'openai-responses')).toBe(true);
  });

  it('wrote the file, and nothing else, into the repository', () => {
    expect(readFileSync(join(repo, 'hello.txt'), 'utf8')).toBe('Hello from Horizon\n');
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' })).toBe(
      '?? hello.txt\n',
    );
  });

  it('reports the turn, the messages and the commands in order', () => {
    expect(events.map((e) => e.type)).toEqual([
      'step_start',
      'text',
      'tool_use',
      'tool_use',
      'text',
      'step_finish',
    ]);
    const tools = events.filter((e) => e.type === 'tool_use');
    expect(tools[0]).toMatchObject({ tool: 'shell', status: 'completed', exitCode: 0 });
    expect(tools[0]!.type === 'tool_use' && tools[0]!.input.command).toContain('Hello from Horizon');
    expect(tools[1]!.type === 'tool_use' && tools[1]!.output).toContain('Hello from Horizon');
    expect(events.filter((e) => e.type === 'text').map((e) => e.type === 'text' && e.text)).toEqual([
      'I will create hello.txt.',
      'Created hello.txt and checked its content.',
    ]);
  });

  it('sums usage and cost from what the model reported', () => {
    // Requests: 1200 (1000 cached)/60, 1300/30, 1500/15.
    expect(result.usage.inputTokens).toBe(4000);
    expect(result.usage.outputTokens).toBe(105);
    expect(result.usage.costUsd).toBeCloseTo((4000 * 3 + 105 * 15) / 1e6, 9);
    expect(events.find((e) => e.type === 'step_finish')).toMatchObject({ tokens: { cacheRead: 1000 } });
  });

  it('passed the prompt and the tools to the model', () => {
    const first = server.agentRequests[0]!.body!;
    expect(first.messages.filter((m) => m.role === 'user').pop()?.content).toBe(
      'Create hello.txt with a greeting, then show it.',
    );
    expect(first.tools?.map((t) => t.function.name)).toContain('exec_command');
  });

  it('keeps the provider key out of the environment, the argv, the configuration and the transcript', () => {
    expect(server.agentRequests[0]!.headers.authorization).toBe(`Bearer ${providerKey}`);
    const transcript = JSON.stringify(events);
    expect(transcript).toContain('HORIZON_RUN_ID=run-1');
    expect(transcript).toContain(`CODEX_HOME=${join(stateDir, 'codex-home')}`);
    expect(transcript).toContain(`TMPDIR=${join(stateDir, 'tmp')}`);
    expect(transcript).not.toContain(providerKey);
    expect(transcript).not.toContain(outsideSecret);
    expect(argvSeen).not.toContain(providerKey);
    const config = readFileSync(join(stateDir, 'codex-home', 'config.toml'), 'utf8');
    expect(config).toContain('wire_api = "responses"');
    expect(config).not.toContain(providerKey);
    expect(statSync(join(stateDir, 'codex-home', 'config.toml')).mode & 0o777).toBe(0o600);
    expect(statSync(join(stateDir, 'secrets', 'provider-key')).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(server.requests.map((r) => r.responsesBody))).not.toContain(providerKey);
  });
});

describe('a patch', () => {
  it('applied through the shell with apply_patch edits the file and is reported as a file change', async () => {
    const repo = fixtures.gitRepo();
    const patch =
      "apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: notes.txt\n+Patched by Codex\n*** End Patch\nEOF";
    const server = await ScriptedModelServer.start({
      script: {
        steps: [
          {
            match: { lastRole: 'user' },
            respond: { toolCalls: [{ tool: 'exec_command', args: { cmd: patch } }] },
          },
          { match: { lastRole: 'tool', lastContains: 'A notes.txt' }, respond: { text: 'Patched.' } },
        ],
      },
    });
    try {
      const run = harness.start({
        prompt: 'Add notes.',
        workdir: repo,
        model: { baseUrl: server.baseUrl, model: 'scripted' },
        deadlineMs: 30_000,
        context: { runId: 'patch' },
      });
      const [events, result] = await Promise.all([collect(run), run.result]);
      expect(server.failures).toEqual([]);
      expect(result.exit).toBe('completed');
      expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toBe('Patched by Codex\n');
      expect(events.filter((e) => e.type === 'tool_use')).toEqual([
        expect.objectContaining({
          tool: 'apply_patch',
          status: 'completed',
          input: { changes: [{ path: join(repo, 'notes.txt'), kind: 'add' }] },
          output: `add ${join(repo, 'notes.txt')}`,
        }),
      ]);
    } finally {
      await server.close();
    }
  });
});

describe('a later turn', () => {
  it('resumes the thread: the model sees the conversation so far', async () => {
    const stateDir = fixtures.tempDir('state');
    const server = await ScriptedModelServer.start({
      script: {
        steps: [
          { match: { userContains: 'Say done.' }, respond: { text: 'Done.' } },
          { match: { userContains: 'And again.' }, respond: { text: 'Done again.' } },
        ],
      },
    });
    try {
      const repo = fixtures.gitRepo();
      const turn = (prompt: string, session?: string) =>
        harness.start({
          prompt,
          ...(session ? { session } : {}),
          workdir: repo,
          model: { baseUrl: server.baseUrl, model: 'scripted' },
          deadlineMs: 30_000,
          context: { runId: 'two-turns', stateDir },
        }).result;
      const first = await turn('Say done.');
      expect(first).toMatchObject({ exit: 'completed', session: expect.any(String) });
      const second = await turn('And again.', first.session);
      expect(server.failures).toEqual([]);
      expect(second).toMatchObject({ exit: 'completed', session: first.session });
      const seen = server.agentRequests[1]!.body!.messages;
      expect(seen.filter((m) => m.role === 'assistant').map((m) => m.content)).toEqual(['Done.']);
      expect(seen.at(-1)).toMatchObject({ role: 'user', content: 'And again.' });
    } finally {
      await server.close();
    }
  });

  it('takes no message while it works: send answers false', async () => {
    const server = await ScriptedModelServer.start({ script: 'say-done.json' });
    try {
      const run = harness.start({
        prompt: 'Say done.',
        workdir: fixtures.gitRepo(),
        model: { baseUrl: server.baseUrl, model: 'scripted' },
        deadlineMs: 30_000,
        context: { runId: 'send' },
      });
      expect(await run.send('Also this.')).toBe(false);
      expect((await run.result).exit).toBe('completed');
    } finally {
      await server.close();
    }
  });
});

describe('stopping a run', () => {
  it('kills a run whose model server cannot be reached at the deadline: timed_out', () =>
    expectKilledAtTheDeadline(harness, fixtures));

  async function midCommand(runId: string) {
    const marker = `horizon-${runId}-${randomUUID()}`;
    const server = await ScriptedModelServer.start({ script: 'codex-sleep.yaml', vars: { marker } });
    const run = harness.start({
      prompt: 'Wait a minute.',
      workdir: fixtures.gitRepo(),
      model: { baseUrl: server.baseUrl, model: 'scripted' },
      deadlineMs: 30_000,
      context: { runId },
    });
    await until(() => processesWith(marker).length > 0, 20_000);
    return { marker, server, run, commands: processesWith(marker) };
  }

  it('cancels a run mid-command: cancelled, with Codex and the command gone', async () => {
    const { marker, server, run, commands } = await midCommand('cancel');
    try {
      await run.cancel();
      const result = await run.result;
      expect(result.exit).toBe('cancelled');
      expect(alive(run.pid!)).toBe(false);
      expect(commands.filter(alive)).toEqual([]);
      expect(processesWith(marker)).toEqual([]);
      expect(server.failures).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('reports Codex dying mid-turn as failed, with how it ended, and its commands gone', async () => {
    const { marker, server, run } = await midCommand('crash');
    try {
      process.kill(run.pid!, 'SIGKILL');
      const result = await run.result;
      expect(result.exit).toBe('failed');
      expect(result.error).toContain('codex exited (signal SIGKILL)');
      expect(processesWith(marker)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('reports a turn the provider refuses as failed, with the provider’s reason', async () => {
    const server = await ScriptedModelServer.start({ script: 'say-done.json', apiKey: 'sk-the-right-one' });
    try {
      const result = await harness.start({
        prompt: 'Say done.',
        workdir: fixtures.gitRepo(),
        model: { baseUrl: server.baseUrl, model: 'scripted', apiKey: 'sk-a-wrong-one' },
        deadlineMs: 30_000,
        context: { runId: 'refused' },
      }).result;
      expect(result.exit).toBe('failed');
      expect(result.error).toContain('Incorrect API key provided');
    } finally {
      await server.close();
    }
  });

  it('reports a harness that cannot start as failed', () =>
    expectFailedWithoutItsBinary(
      new CodexHarness({ binary: join(tmpdir(), `no-such-codex-${randomUUID()}`) }),
      fixtures,
    ));
});
