import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import type { SandboxHandle } from '@horizon/sandbox';
import { ScriptedModelServer } from '@horizon/testing';
import { runnerInside } from '@horizon/runner-launch';
import type { HarnessEvent, HarnessResult, HarnessTask } from '../src/harness';
import { SandboxRuns } from './support/sandbox-runs';

// The Codex harness where runs happen: the pinned codex binary bound read-only into a real
// bwrap sandbox, the scripted model server on the host speaking the Responses API, reached
// only through the sandbox's egress proxy, which holds the provider key. A bundled entry
// (support/codex-turn.ts) drives one turn, since the runner's own entry starts OpenCode.
jest.setTimeout(120_000);

const entryInside = '/opt/horizon/test/codex-turn.js';

interface Turn {
  events: HarnessEvent[];
  result?: HarnessResult;
  stderr: string;
}

describe('Codex in a sandbox (real bwrap, real codex, scripted Responses model behind the egress proxy)', () => {
  const runs = new SandboxRuns();

  beforeAll(async () => {
    const dir = join(runs.dataDir, 'codex-test');
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    chmodSync(dir, 0o755);
    const entry = join(dir, 'codex-turn.js');
    await build({
      entryPoints: [join(__dirname, 'support', 'codex-turn.ts')],
      external: ['esbuild'],
      outfile: entry,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'error',
    });
    chmodSync(entry, 0o644);
    await runs.start([{ host: entry, inside: entryInside }]);
  });
  afterAll(() => runs.close());

  /** One turn inside the sandbox; `whileRunning` gets Codex's pid (inside) once it started. */
  async function turn(
    handle: SandboxHandle,
    task: Omit<HarnessTask, 'model' | 'workdir'>,
    whileRunning?: (pid: number) => Promise<void>,
  ): Promise<Turn> {
    const proc = await runs.driver.exec(handle, [runnerInside.node, entryInside], {
      cwd: handle.workspacePath,
    });
    const full: HarnessTask = {
      ...task,
      workdir: handle.workspacePath,
      model: {
        baseUrl: `${handle.proxyUrl}/_horizon/model`,
        model: 'scripted',
        costPerMillionTokens: { input: 3, output: 15 },
      },
    };
    proc.stdin.end(`${JSON.stringify(full)}\n`);
    const out: Turn = { events: [], stderr: '' };
    let running: Promise<void> = Promise.resolve();
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const parsed = JSON.parse(line) as { pid?: number; event?: HarnessEvent; result?: HarnessResult };
      if (parsed.pid !== undefined && whileRunning) running = whileRunning(parsed.pid);
      if (parsed.event) out.events.push(parsed.event);
      if (parsed.result) out.result = parsed.result;
    });
    proc.stderr.on('data', (chunk: Buffer) => (out.stderr += chunk.toString()));
    await proc.exit;
    await running;
    return out;
  }

  describe('a trivial run', () => {
    let server: ScriptedModelServer;
    let handle: SandboxHandle;
    let out: Turn;
    let inside: string;

    beforeAll(async () => {
      server = await ScriptedModelServer.start({
        script: 'codex-write-and-run.yaml',
        vars: { workdir: '/workspace' },
        apiKey: runs.apiKey,
      });
      handle = await runs.boot(`horizon/${randomUUID()}`, server.baseUrl);
      out = await turn(handle, {
        prompt: 'Create hello.txt with a greeting, then show it.',
        env: { HORIZON_RUN_ID: 'run-1' },
        deadlineMs: 60_000,
        context: { runId: 'run-1', stateDir: '/tmp/codex-state' },
      });
      inside = await runs.inside(
        handle,
        [
          'cat hello.txt',
          'git status --porcelain',
          'cat /tmp/codex-state/codex-home/config.toml',
          `grep -rl "${runs.apiKey}" /tmp /home /workspace 2>/dev/null | wc -l`,
        ].join('; echo ---; '),
      );
    });
    afterAll(() => server.close());

    it('completes, having played the whole script through the proxy', () => {
      expect(out.stderr).toBe('');
      expect(server.failures).toEqual([]);
      expect(out.result).toMatchObject({ exit: 'completed', session: expect.any(String) });
      expect(server.pendingSteps).toBe(0);
      // The proxy put the key on every request: the sandbox never had it.
      expect(server.agentRequests.map((r) => r.headers.authorization)).toEqual(
        Array(3).fill(`Bearer ${runs.apiKey}`),
      );
    });

    it('edited the workspace, and reports the messages, the commands and the usage', () => {
      const [hello, status] = inside.split('---\n');
      expect(hello).toBe('Hello from Horizon\n');
      expect(status).toBe('?? hello.txt\n');
      expect(out.events.map((e) => e.type)).toEqual([
        'step_start',
        'text',
        'tool_use',
        'tool_use',
        'text',
        'step_finish',
      ]);
      expect(out.result!.usage).toMatchObject({ inputTokens: 4000, outputTokens: 105 });
    });

    it('shows the key nowhere inside: not in the commands’ environment, the configuration or any file', () => {
      const [, , config, files] = inside.split('---\n');
      expect(config).toContain(`base_url = "${handle.proxyUrl}/_horizon/model"`);
      expect(config).not.toContain('auth');
      expect(files!.trim()).toBe('0');
      const transcript = JSON.stringify(out.events);
      expect(transcript).toContain('HORIZON_RUN_ID=run-1');
      expect(transcript).not.toContain(runs.apiKey);
      expect(transcript).not.toContain(runs.token);
    });
  });

  /** How many processes inside run the sleep of `codex-sleep.yaml` with `marker`. */
  const sleeping = (handle: SandboxHandle, marker: string) =>
    // `[s]leep` keeps this very command from matching itself.
    runs.inside(
      handle,
      `for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < $f; echo; done 2>/dev/null | grep -c "[s]leep 60; echo ${marker}"`,
    );

  it('reports Codex dying mid-command as failed, with how it ended, and its command gone', async () => {
    const marker = `horizon-crash-${randomUUID()}`;
    const server = await ScriptedModelServer.start({ script: 'codex-sleep.yaml', vars: { marker } });
    try {
      const handle = await runs.boot(`horizon/${randomUUID()}`, server.baseUrl);
      let before = '';
      const out = await turn(
        handle,
        { prompt: 'Wait a minute.', deadlineMs: 30_000, context: { runId: 'crash' } },
        async (pid) => {
          const end = Date.now() + 20_000;
          while ((before = await sleeping(handle, marker)) === '0\n' && Date.now() < end)
            await new Promise((r) => setTimeout(r, 100));
          await runs.inside(handle, `kill -KILL ${pid}`);
        },
      );
      expect(before).toBe('1\n');
      expect(out.result).toMatchObject({ exit: 'failed', error: 'codex exited (signal SIGKILL)' });
      expect(await sleeping(handle, marker)).toBe('0\n');
    } finally {
      await server.close();
    }
  });

  it('ends a run that hangs at its deadline: timed_out, its command gone', async () => {
    const marker = `horizon-hang-${randomUUID()}`;
    const server = await ScriptedModelServer.start({ script: 'codex-sleep.yaml', vars: { marker } });
    try {
      const handle = await runs.boot(`horizon/${randomUUID()}`, server.baseUrl);
      const out = await turn(handle, {
        prompt: 'Wait a minute.',
        deadlineMs: 8000,
        context: { runId: 'hang' },
      });
      expect(out.result).toMatchObject({ exit: 'timed_out', error: 'deadline of 8000 ms passed' });
      expect(out.events.some((e) => e.type === 'step_start')).toBe(true);
      expect(await sleeping(handle, marker)).toBe('0\n');
    } finally {
      await server.close();
    }
  });
});
