import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ScriptedModelServer } from '@horizon/testing';
import { HarnessEvent, HarnessResult, HarnessRun, OpenCodeHarness } from '../src/harness';

// Real OpenCode (the pinned npm binary) against the scripted model server, outside any sandbox.
jest.setTimeout(60_000);

const harness = new OpenCodeHarness({ killGraceMs: 1000 });
const temps: string[] = [];

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

function gitRepo(): string {
  const repo = tempDir('oc-repo-');
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  return repo;
}

async function collect(run: HarnessRun): Promise<HarnessEvent[]> {
  const events: HarnessEvent[] = [];
  for await (const event of run.events) events.push(event);
  return events;
}

/** Running, that is: present in /proc and not a zombie waiting for its parent. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Pids whose command line contains `marker`. */
function processesWith(marker: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(() => {
  // OpenCode's grep and glob tools need ripgrep on PATH (Debian package `ripgrep`).
  expect(() => execFileSync('rg', ['--version'])).not.toThrow();
});

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
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
    repo = gitRepo();
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
  it('kills a run whose model server cannot be reached at the deadline: timed_out', async () => {
    const started = Date.now();
    const run = harness.start({
      prompt: 'Say hello.',
      workdir: gitRepo(),
      model: { baseUrl: `http://127.0.0.1:${await closedPort()}/v1`, model: 'scripted' },
      deadlineMs: 4000,
      context: { runId: 'unreachable' },
    });
    const result = await run.result;
    expect(result.exit).toBe('timed_out');
    expect(result.error).toContain('deadline');
    expect(Date.now() - started).toBeGreaterThanOrEqual(4000);
    // SIGTERM, at most a 1 s grace before SIGKILL, and slack for a loaded machine.
    expect(Date.now() - started).toBeLessThan(4000 + 1000 + 4000);
    expect(alive(run.pid!)).toBe(false);
  });

  it('cancels a run mid-command: cancelled, with OpenCode and the command gone', async () => {
    const marker = `horizon-cancel-${randomUUID()}`;
    const server = await ScriptedModelServer.start({ script: 'sleep.yaml', vars: { marker } });
    try {
      const run = harness.start({
        prompt: 'Wait a minute.',
        workdir: gitRepo(),
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

  it('reports a harness that cannot start as failed', async () => {
    const run = new OpenCodeHarness({ binary: join(tmpdir(), `no-such-opencode-${randomUUID()}`) }).start({
      prompt: 'Say hello.',
      workdir: gitRepo(),
      model: { baseUrl: 'http://127.0.0.1:9/v1', model: 'scripted' },
      deadlineMs: 5000,
      context: { runId: 'missing-binary' },
    });
    const result = await run.result;
    expect(result.exit).toBe('failed');
    expect(result.error).toContain('ENOENT');
  });
});

describe('follow-ups', () => {
  const task = 'Make the greeting name Horizon.';
  const followUp = 'Please also add a changelog entry.';
  const userMessages = (server: ScriptedModelServer, request: number) =>
    server.agentRequests[request]!.body!.messages.filter((m) => m.role === 'user').map((m) => m.content);

  function greetingRepo(): string {
    const repo = gitRepo();
    writeFileSync(join(repo, 'greeting.js'), "module.exports = () => 'Hello';\n");
    return repo;
  }

  it('send adds a message to the busy session: the agent takes it up in the same turn', async () => {
    const repo = greetingRepo();
    const gate = join(tempDir('oc-gate-'), 'open');
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
    const stateDir = tempDir('oc-state-');
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

describe('start-up time', () => {
  it('reaches the model and completes a trivial script within seconds', async () => {
    const firstRequestMs: number[] = [];
    const totalMs: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const server = await ScriptedModelServer.start({ script: 'say-done.json' });
      try {
        const started = Date.now();
        const run = harness.start({
          prompt: 'Say done.',
          workdir: gitRepo(),
          model: { baseUrl: server.baseUrl, model: 'scripted' },
          deadlineMs: 30_000,
          context: { runId: `timing-${i}` },
        });
        const result = await run.result;
        expect(result.exit).toBe('completed');
        firstRequestMs.push(server.requests[0]!.receivedAt - started);
        totalMs.push(Date.now() - started);
      } finally {
        await server.close();
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(
      `opencode start → first model request p50 ${median(firstRequestMs)} ms ${JSON.stringify(firstRequestMs)}; ` +
        `trivial run total p50 ${median(totalMs)} ms ${JSON.stringify(totalMs)}`,
    );
    // About 3 s on an idle 2-core machine; the bound leaves room for parallel suites.
    expect(median(totalMs)).toBeLessThan(20_000);
  });
});
