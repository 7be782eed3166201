import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelScriptInput, ScriptedModelServer } from '@horizon/testing';
import { HarnessResult, OpenCodeHarness } from '../src/harness';

// Real OpenCode, two runs at once, against one scripted model server in catalog mode: each
// run is routed to its own script, and the server is replaced by a new one mid-run.
jest.setTimeout(120_000);

const harness = new OpenCodeHarness({ killGraceMs: 1000 });
const temps: string[] = [];

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

function gitRepo(): string {
  const repo = tempDir('oc-catalog-repo-');
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  return repo;
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Writes `file` with `text`, then waits for the gate file (the test opens it once the server
 * has been replaced); next shows the file and lists the folder in one step of two calls.
 */
function writerScript(title: string, file: string, text: string): ModelScriptInput {
  return {
    title,
    when: { userContains: title },
    usage: { input: 100, output: 10 },
    steps: [
      {
        name: 'write and wait',
        match: { lastRole: 'user', toolsInclude: ['bash'] },
        respond: {
          text: `Writing ${file}.`,
          toolCalls: [
            {
              tool: 'bash',
              args: {
                command: `printf '${text}\\n' > ${file} && while [ ! -e {{gate}} ]; do sleep 0.1; done`,
              },
            },
          ],
        },
      },
      {
        name: 'show and list',
        match: { lastRole: 'tool' },
        respond: {
          toolCalls: [
            { tool: 'bash', args: { command: `cat ${file}` } },
            { tool: 'bash', args: { command: 'ls' } },
          ],
        },
      },
      {
        name: 'report',
        match: { lastRole: 'tool', lastContains: file },
        respond: { text: `${title}: done.` },
      },
    ],
  };
}

const hello = writerScript('Write the greeting', 'hello.txt', 'Hello');
const bye = writerScript('Write the farewell', 'bye.txt', 'Bye');

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('two OpenCode runs at once against one catalog server, replaced mid-run', () => {
  const gate = join(tempDir('oc-catalog-gate-'), 'open');
  const repos = { hello: gitRepo(), bye: gitRepo() };
  let first: ScriptedModelServer;
  let second: ScriptedModelServer;
  let results: HarnessResult[];

  beforeAll(async () => {
    const options = { scripts: [hello, bye], vars: { gate } };
    first = await ScriptedModelServer.start(options);
    const runs = [
      { prompt: 'Write the greeting into hello.txt.', workdir: repos.hello, runId: 'catalog-hello' },
      { prompt: 'Write the farewell into bye.txt.', workdir: repos.bye, runId: 'catalog-bye' },
    ].map(({ prompt, workdir, runId }) =>
      harness.start({
        prompt,
        workdir,
        model: { baseUrl: first.baseUrl, model: 'scripted' },
        deadlineMs: 90_000,
        context: { runId },
      }),
    );
    const outcome = Promise.all(runs.map((run) => run.result));
    try {
      // Both runs are now inside their first command, waiting for the gate.
      await until(() => first.agentRequests.length === 2, 45_000, 'both runs asked for their first step');
      const port = first.port;
      await first.close();
      second = await ScriptedModelServer.start({ ...options, port });
    } finally {
      writeFileSync(gate, '');
      results = await outcome;
      await second?.close();
    }
  });

  it('completes both runs with no request refused', () => {
    expect(first.failures).toEqual([]);
    expect(second.failures).toEqual([]);
    expect(results.map((r) => r.exit)).toEqual(['completed', 'completed']);
  });

  it('routed each run to its own script, the first step from the first server, the rest from the second', () => {
    const played = (server: ScriptedModelServer) =>
      server.agentRequests.map((r) => `${r.script}#${r.step}`).sort();
    expect(played(first)).toEqual(['Write the farewell#0', 'Write the greeting#0']);
    expect(played(second)).toEqual([
      'Write the farewell#1',
      'Write the farewell#2',
      'Write the greeting#1',
      'Write the greeting#2',
    ]);
  });

  it('saw one assistant message per earlier step, a two-call step included', () => {
    const last = second.agentRequests.find((r) => r.script === 'Write the greeting' && r.step === 2)!;
    const assistants = last.body!.messages.filter((m) => m.role === 'assistant');
    expect(assistants.map((m) => m.tool_calls?.length)).toEqual([1, 2]);
    expect(last.body!.messages.filter((m) => m.role === 'tool')).toHaveLength(3);
  });

  it('ran each script in its own repository', () => {
    expect(readFileSync(join(repos.hello, 'hello.txt'), 'utf8')).toBe('Hello\n');
    expect(readFileSync(join(repos.bye, 'bye.txt'), 'utf8')).toBe('Bye\n');
    const status = (repo: string) =>
      execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' });
    expect([status(repos.hello), status(repos.bye)]).toEqual(['?? hello.txt\n', '?? bye.txt\n']);
  });
});

describe('a prompt no script knows, with real OpenCode', () => {
  it('fails the run at once with the server’s one line as its reason, asking the model once', async () => {
    const server = await ScriptedModelServer.start({ scripts: [hello], vars: { gate: 'unused' } });
    try {
      const run = harness.start({
        prompt: 'Add a free-shipping threshold',
        workdir: gitRepo(),
        model: { baseUrl: server.baseUrl, model: 'scripted' },
        deadlineMs: 90_000,
        context: { runId: 'catalog-unknown' },
      });
      await until(() => server.failures.length > 0, 45_000, 'the agent asked the model');
      const refusedAt = Date.now();
      const result = await run.result;
      // OpenCode retries a 500 for about a minute; a 400 it reports at once.
      expect(Date.now() - refusedAt).toBeLessThan(3_000);
      expect(result.exit).toBe('failed');
      expect(result.error).toContain(
        'the scripted model only knows the tasks it has scripts for (Write the greeting), not "Add a free-shipping threshold": ' +
          'set SANDBOX_MODEL_PROVIDER and SANDBOX_MODEL_API_KEY to run your own work',
      );
      expect(server.requests.filter((r) => r.kind === 'failure')).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
