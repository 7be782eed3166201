import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { RunView, WorkItemView } from '@horizon/contracts';
import { LocalForgeClient as ForgeClient } from '@horizon/local-forge-client';
import {
  createStackSandbox,
  startStack,
  until,
  type StackSandbox,
  type StackProcess,
  runCli,
} from '@horizon/testing';

const ROOT = path.resolve(__dirname, '..', '..');

type ItemDetail = WorkItemView & { runs: RunView[] };

/**
 * The loop that learns, on the whole stack as `npm start` runs it: the local forge, every
 * service, bwrap sandboxes with OpenCode and the scripted model (e2e/scripts/learning-loop).
 *
 * Two greeting runs reach for `npm run check-greetings`, which the repository does not declare,
 * and fall back to its slow test suite. A retro (`horizon retro`) proposes the script and an
 * AGENTS.md line naming it; the proposal waits in `planned` until `horizon work start` accepts
 * it; its PR is approved and merged. A third greeting run then reads the convention (OpenCode
 * puts AGENTS.md in the system prompt, and the scripted model plays the agent that knows it only
 * when it is there) and finishes with fewer tool calls and in less time than the first two —
 * from the same snapshot, since text conventions need no new one.
 */
describe('the loop that learns, end to end on the local forge', () => {
  let stack: StackSandbox;
  let running: StackProcess;
  let forge: ForgeClient;
  let apiToken: string;

  beforeAll(async () => {
    stack = await createStackSandbox({
      HORIZON_DEMO: '0',
      MODEL_SERVER_SCRIPTS: path.join(ROOT, 'e2e', 'scripts', 'learning-loop'),
    });
    running = startStack(stack);
    await running.waitFor('press Ctrl-C to stop', 4 * 60_000);
    const token = fs.readFileSync(path.join(stack.dataDir, 'forge.token'), 'utf8').trim();
    forge = new ForgeClient({ baseUrl: `http://127.0.0.1:${stack.env.FORGE_PORT}`, token });
    apiToken = (await cli(['token', 'create', '--name', 'learning-loop-e2e'])).stdout.trim();
  }, 5 * 60_000);

  afterAll(async () => {
    await running?.stop();
    await stack?.remove();
  });

  function cli(args: string[]) {
    return runCli(args, { ...stack.env, ...(apiToken ? { HORIZON_API_TOKEN: apiToken } : {}) });
  }

  async function api<T>(route: string, init: RequestInit = {}): Promise<T> {
    const res = await fetch(`http://127.0.0.1:${stack.env.INGRESS_PORT}/api/v1${route}`, {
      ...init,
      headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json', ...init.headers },
    });
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${route}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  const item = (id: string) => api<ItemDetail>(`/work-items/${id}`).catch(() => null);

  /** Waits for an item to reach one of `states`, reading it through the work API every second. */
  const settled = (id: string, states: string[], what: string) =>
    until(
      async () => {
        const found = await item(id);
        return found && states.includes(found.state) && found;
      },
      what,
      4 * 60_000,
      1000,
    );

  /** A greeting item, as a person would ask for one; its run is what the loop measures. */
  async function greet(name: string): Promise<RunView> {
    const { id } = await api<{ id: string }>('/work-items', {
      method: 'POST',
      body: JSON.stringify({
        repo: 'acme/greetings',
        title: `Greet ${name}`,
        description: 'Add their greeting to greetings.txt.',
      }),
    });
    const done = await settled(id, ['in_review', 'failed', 'done'], `${name}'s greeting to end`);
    expect(done.state).toBe('in_review');
    const run = done.runs.at(-1)!;
    expect(run.outcome).toBe('succeeded');
    return run;
  }

  const seconds = (run: RunView) => (Date.parse(run.finishedAt!) - Date.parse(run.startedAt!)) / 1000;

  /** A repository whose quick check exists only as a habit; its test suite is slow. */
  function greetingsRepository(): string {
    const dir = fs.mkdtempSync(path.join(stack.dataDir, 'greetings-'));
    const files: Record<string, string> = {
      'package.json': `${JSON.stringify({ name: 'greetings', private: true, scripts: { test: 'node --test' } }, null, 2)}\n`,
      'greetings.txt': 'Hello, world.\n',
      'AGENTS.md': 'Every greeting ends with a period.\n',
      // The suite stands for a project's full tests: it checks the greetings, slowly.
      'greetings.test.js':
        "const test = require('node:test');\nconst assert = require('node:assert');\n" +
        "test('every greeting ends with a period', async () => {\n" +
        '  await new Promise((resolve) => setTimeout(resolve, 30_000));\n' +
        "  for (const line of require('node:fs').readFileSync('greetings.txt', 'utf8').trim().split('\\n'))\n" +
        "    assert.ok(line.endsWith('.'), line);\n" +
        '});\n',
      '.horizon/config.yaml': 'review:\n  enabled: false\n',
    };
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), content);
    }
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'greetings');
    return dir;
  }

  const snapshots = () =>
    fs.readdirSync(path.join(stack.dataDir, 'sandbox', 'snapshots', 'acme__greetings', 'implement')).sort();

  it(
    'two runs meet a missing script, a retro proposes it, it merges, and the third run is faster',
    async () => {
      await forge.createRepository({ owner: 'acme', name: 'greetings', from: greetingsRepository() });

      // Before: both runs meet the same papercut and take the long way round.
      const before = [await greet('Ana'), await greet('Bo')];
      for (const run of before) {
        expect(run.friction.map((f) => f.signature)).toContain('missing_script:check-greetings');
        expect(run.toolCalls).toBe(4);
      }
      const snapshotsBefore = snapshots();

      // The retro reads the papercut and proposes its fix, which waits for a person.
      const retro = JSON.parse(
        (await cli(['retro', '--repo', 'acme/greetings', '--since', '1d', '--json'])).stdout,
      ) as {
        id: string;
      };
      await settled(retro.id, ['done', 'failed'], 'the retro to end');
      const proposal = await until(async () => {
        const { items } = await api<{ items: WorkItemView[] }>('/work-items?repo=acme/greetings&limit=50');
        return items.find((i) => i.parentId === retro.id);
      }, "the retro's proposal");
      expect(proposal).toMatchObject({ title: 'Add the check-greetings script', state: 'planned' });
      expect(proposal.description).toContain('Fixes friction: `missing_script:check-greetings`');

      // A person accepts it; its PR is approved and merged like any other.
      const started = await cli(['work', 'start', proposal.id]);
      expect(started.code).toBe(0);
      const inReview = await settled(proposal.id, ['in_review', 'failed'], 'the proposal to be implemented');
      expect(inReview.state).toBe('in_review');
      const pr = await until(
        async () =>
          (await forge.listPulls('acme', 'greetings', 'open')).find((p) => p.headRef === inReview.branch),
        "the proposal's pull request",
        60_000,
      );
      await forge.review('acme', 'greetings', pr.number, { event: 'APPROVE', body: 'Yes, declare it.' });
      await forge.merge('acme', 'greetings', pr.number);
      await settled(proposal.id, ['done'], 'the proposal to be merged');

      // After: the convention reaches the next run at once, from the same snapshot.
      const after = await greet('Cy');
      expect(snapshots()).toEqual(snapshotsBefore);
      expect(after.friction.map((f) => f.signature)).not.toContain('missing_script:check-greetings');
      expect(after.toolCalls).toBe(2);
      const fastestBefore = Math.min(...before.map(seconds));
      expect(seconds(after)).toBeLessThan(fastestBefore);
      // One line for the note and the log: what the loop bought.
      process.stdout.write(
        `learning loop: tool calls ${before.map((r) => r.toolCalls).join(', ')} → ${after.toolCalls}; ` +
          `seconds ${before.map((r) => seconds(r).toFixed(1)).join(', ')} → ${seconds(after).toFixed(1)}\n`,
      );
    },
    14 * 60_000,
  );
});
