import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ScriptedModelServer } from '@horizon/testing';
import { HarnessEvent, HarnessResult, HarnessRun, OpenCodeHarness } from '../src/harness';
import {
  HarnessFixtures,
  collect,
  alive,
  processesWith,
  until,
  expectFailedWithoutItsBinary,
  expectKilledAtTheDeadline,
} from './support/harness-fixtures';

// Real OpenCode (the pinned npm binary) against the scripted model server, outside any sandbox.
jest.setTimeout(60_000);

const harness = new OpenCodeHarness({ killGraceMs: 1000 });
const fixtures = new HarnessFixtures('oc');
beforeAll(() => {
  // OpenCode's grep and glob tools need ripgrep on PATH (Debian package `ripgrep`).
  expect(() => execFileSync('rg', ['--version'])).not.toThrow();
});

afterAll(() => {
  fixtures.removeAll();
});

describe('a scripted task that writes a file and runs commands', () => {
  const providerKey = `sk-horizon-fake-${randomUUID()}`;
  const outsideSecret = `outside-${randomUUID()}`;
  let repo: string;
  let server: ScriptedModelServer;
  let run: HarnessRun;
  let events: HarnessEvent[];
  let result: HarnessResult;

  beforeAll(async () => {
    repo = fixtures.gitRepo();
    server = await ScriptedModelServer.start({ script: 'write-and-run.yaml', vars: { workdir: repo } });
    // A secret in the runner's own environment must not reach the agent.
    process.env.HORIZON_TEST_OUTSIDE_SECRET = outsideSecret;
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
        context: { runId: 'run-1' },
      });
    } finally {
      delete process.env.HORIZON_TEST_OUTSIDE_SECRET;
    }
    [events, result] = await Promise.all([collect(run), run.result]);
  });

  afterAll(() => server.close());

  it('completes and plays the whole script', () => {
    expect(server.failures).toEqual([]);
    expect(result).toMatchObject({ exit: 'completed' });
    expect(server.pendingSteps).toBe(0);
  });

  it('wrote the file, and nothing else, into the repository', () => {
    expect(readFileSync(join(repo, 'hello.txt'), 'utf8')).toBe('Hello from Horizon\n');
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' })).toBe(
      '?? hello.txt\n',
    );
  });

  it('reports the tool calls in order, with their inputs and outputs', () => {
    const tools = events.filter((e) => e.type === 'tool_use');
    expect(tools.map((t) => t.tool)).toEqual(['write', 'bash', 'glob']);
    expect(tools[0]).toMatchObject({
      status: 'completed',
      input: { filePath: join(repo, 'hello.txt') },
      output: 'Wrote file successfully.',
    });
    expect(tools[1]).toMatchObject({
      status: 'completed',
      input: { command: 'cat hello.txt && env' },
      exitCode: 0,
    });
    expect(tools[1]!.type === 'tool_use' && tools[1]!.output).toContain('Hello from Horizon');
    expect(tools[2]!.type === 'tool_use' && tools[2]!.output).toContain(join(repo, 'hello.txt'));
    expect(events.filter((e) => e.type === 'text').map((e) => e.type === 'text' && e.text)).toEqual([
      'I will create hello.txt.',
      'Created hello.txt and checked its content.',
    ]);
    expect(events.filter((e) => e.type === 'step_finish')).toHaveLength(4);
  });

  it('sums usage and cost from what the model reported', () => {
    // Steps: 1200/60, 1300/30, the script default 200/20, 1500/15.
    expect(result.usage.inputTokens).toBe(4200);
    expect(result.usage.outputTokens).toBe(125);
    expect(result.usage.costUsd).toBeCloseTo((4200 * 3 + 125 * 15) / 1e6, 9);
  });

  it('passed the prompt and the tools to the model', () => {
    const first = server.agentRequests[0]!.body!;
    const user = first.messages.filter((m) => m.role === 'user').pop();
    expect(user?.content).toBe('Create hello.txt with a greeting, then show it.');
    expect(first.tools?.map((t) => t.function.name)).toEqual(
      expect.arrayContaining(['write', 'bash', 'edit', 'read']),
    );
    // A given title spares the title request.
    expect(server.requests.every((r) => r.kind === 'step')).toBe(true);
  });

  it('keeps the provider key in the provider configuration only', () => {
    expect(server.agentRequests[0]!.headers.authorization).toBe(`Bearer ${providerKey}`);
    const transcript = JSON.stringify(events);
    expect(transcript).toContain('HORIZON_RUN_ID=run-1');
    expect(transcript).toContain('OPENCODE_CONFIG_CONTENT=');
    expect(transcript).not.toContain(providerKey);
    expect(transcript).not.toContain(outsideSecret);
    expect(JSON.stringify(server.requests.map((r) => r.body))).not.toContain(providerKey);
  });
});

describe('stopping a run', () => {
  it('kills a run whose model server cannot be reached at the deadline: timed_out', () =>
    expectKilledAtTheDeadline(harness, fixtures));

  it('cancels a run mid-command: cancelled, with OpenCode and the command gone', async () => {
    const marker = `horizon-cancel-${randomUUID()}`;
    const server = await ScriptedModelServer.start({ script: 'sleep.yaml', vars: { marker } });
    try {
      const run = harness.start({
        prompt: 'Wait a minute.',
        workdir: fixtures.gitRepo(),
        model: { baseUrl: server.baseUrl, model: 'scripted' },
        deadlineMs: 30_000,
        context: { runId: 'cancel' },
      });
      await until(() => processesWith(marker).length > 0, 20_000);
      const commands = processesWith(marker);
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

  it('reports a harness that cannot start as failed', () =>
    expectFailedWithoutItsBinary(
      new OpenCodeHarness({ binary: join(tmpdir(), `no-such-opencode-${randomUUID()}`) }),
      fixtures,
    ));
});

describe('follow-ups', () => {
  const task = 'Make the greeting name Horizon.';
  const followUp = 'Please also add a changelog entry.';
  const userMessages = (server: ScriptedModelServer, request: number) =>
    server.agentRequests[request]!.body!.messages.filter((m) => m.role === 'user').map((m) => m.content);

  function greetingRepo(): string {
    const repo = fixtures.gitRepo();
    writeFileSync(join(repo, 'greeting.js'), "module.exports = () => 'Hello';\n");
    return repo;
  }

  it('send adds a message to the busy session: the agent takes it up in the same turn', async () => {
    const repo = greetingRepo();
    const gate = join(fixtures.tempDir('gate'), 'open');
    const server = await ScriptedModelServer.start({
      script: 'follow-up.yaml',
      vars: { workdir: repo, gate, followUp: 'changelog' },
    });
    try {
      const run = harness.start({
        prompt: task,
        workdir: repo,
        model: { baseUrl: server.baseUrl, model: 'scripted' },
        deadlineMs: 30_000,
        context: { runId: 'follow-up' },
      });
      const collecting = collect(run);
      // The third answer starts the command that waits at the gate: the agent is mid-turn.
      await until(() => server.agentRequests.length === 3, 20_000);
      expect(await run.send(followUp)).toBe(true);
      writeFileSync(gate, '');
      const [events, result] = await Promise.all([collecting, run.result]);
      expect(server.failures).toEqual([]);
      expect(server.pendingSteps).toBe(0);
      expect(result).toMatchObject({ exit: 'completed', unanswered: [], session: expect.any(String) });
      // What the follow-up asked for was done, in the same turn and the same conversation.
      expect(readFileSync(join(repo, 'CHANGELOG.md'), 'utf8')).toBe('- The greeting names Horizon.\n');
      expect(events.filter((e) => e.type === 'tool_use').map((e) => e.type === 'tool_use' && e.tool)).toEqual(
        ['read', 'edit', 'bash', 'write'],
      );
      expect(server.agentRequests[3]!.body!.messages.at(-1)).toMatchObject({
        role: 'user',
        content: followUp,
      });
      expect(userMessages(server, 3)).toEqual([task, followUp]);
      expect(await run.send('Too late.')).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('a later turn continues the session: the model sees the conversation so far', async () => {
    const repo = greetingRepo();
    const stateDir = fixtures.tempDir('state');
    const server = await ScriptedModelServer.start({
      script: 'follow-up-next-turn.yaml',
      vars: { workdir: repo, followUp: 'changelog' },
    });
    try {
      const turn = (prompt: string, session?: string) =>
        harness.start({
          prompt,
          ...(session ? { session } : {}),
          workdir: repo,
          model: { baseUrl: server.baseUrl, model: 'scripted' },
          deadlineMs: 30_000,
          context: { runId: 'two-turns', stateDir },
        }).result;
      const first = await turn(task);
      expect(first).toMatchObject({ exit: 'completed', session: expect.any(String) });
      const second = await turn(followUp, first.session);
      expect(server.failures).toEqual([]);
      expect(server.pendingSteps).toBe(0);
      expect(second).toMatchObject({ exit: 'completed', session: first.session });
      expect(readFileSync(join(repo, 'CHANGELOG.md'), 'utf8')).toBe('- The greeting names Horizon.\n');
      expect(userMessages(server, 3)).toEqual([task, followUp]);
      expect(JSON.stringify(server.agentRequests[3]!.body!.messages)).toContain('Edit applied successfully');
    } finally {
      await server.close();
    }
  });
});
