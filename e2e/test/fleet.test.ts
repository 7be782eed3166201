import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
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

interface Child {
  repo: string;
  state: string;
  reason: string | null;
  pullRequest: { number: number; url: string | null } | null;
  verification: string | null;
  durationMs: number | null;
  attempts: number;
  inputTokens: number;
}
interface Detail {
  fleet: {
    id: string;
    state: string;
    progress: { counts: Record<string, number>; etaSeconds: number | null };
  };
  children: Child[];
}

/**
 * A fleet on the whole stack as `npm start` runs it: the local forge, every service, bwrap
 * sandboxes with OpenCode and the scripted model (e2e/scripts/fleet). Four repositories under a
 * cap of three (one waits for a slot): two get the change and a PR, one has nothing to change
 * (not applicable), one fails its verification; the two PRs link each other, the table says so,
 * and a retry after the check was fixed on main opens the third PR, linked with the others.
 */
describe('fleets, end to end on the local forge', () => {
  let stack: StackSandbox;
  let running: StackProcess;
  let forge: ForgeClient;
  let token: string;

  beforeAll(async () => {
    stack = await createStackSandbox({
      HORIZON_DEMO: '0',
      MODEL_SERVER_SCRIPTS: path.join(ROOT, 'e2e', 'scripts', 'fleet'),
    });
    running = startStack(stack);
    await running.waitFor('press Ctrl-C to stop', 4 * 60_000);
    token = fs.readFileSync(path.join(stack.dataDir, 'forge.token'), 'utf8').trim();
    forge = new ForgeClient({ baseUrl: `http://127.0.0.1:${stack.env.FORGE_PORT}`, token });
  }, 5 * 60_000);

  afterAll(async () => {
    await running?.stop();
    await stack?.remove();
  });

  function cli(args: string[], extra: Record<string, string> = {}) {
    return runCli(args, { ...stack.env, ...extra });
  }

  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd });

  /** A small repository: a README (or none) and, for one, a check that fails until main fixes it. */
  function repository(name: string, files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(stack.dataDir, `${name}-`));
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), content);
    }
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', name);
    return dir;
  }

  it(
    'fans out over four repositories: two linked PRs, one not applicable, one failed, then fixed by a retry',
    async () => {
      // The agent review off in every repository: this suite is about the fleet, and each review
      // is one more agent run.
      const noReview = 'review:\n  enabled: false\n';
      const readme = (name: string) => ({
        'README.md': `# ${name}\n`,
        '.horizon/config.yaml': noReview,
      });
      const repos: Record<string, Record<string, string>> = {
        'svc-1': readme('svc-1'),
        'svc-2': readme('svc-2'),
        'svc-3': { 'index.js': 'module.exports = 1;\n', '.horizon/config.yaml': noReview },
        'svc-4': {
          ...readme('svc-4'),
          '.horizon/config.yaml': `verify:\n  - node check.js\n${noReview}`,
          'check.js': "console.error('the release notes are missing'); process.exit(1);\n",
        },
      };
      for (const [name, files] of Object.entries(repos))
        await forge.createRepository({ owner: 'acme', name, from: repository(name, files) });

      const apiToken = (await cli(['token', 'create', '--name', 'fleet-e2e'])).stdout.trim();
      const env = { HORIZON_API_TOKEN: apiToken };
      const created = await cli(
        [
          'fleet', 'create', '--title', 'Add the licence line to the README',
          '--prompt', 'Every README ends with the licence line.',
          ...Object.keys(repos).flatMap((name) => ['--repo', `acme/${name}`]),
          '--cap', '3', '--json',
        ],
        env,
      ); // prettier-ignore
      expect(created.stderr).toBe('');
      const fleetId = (JSON.parse(created.stdout) as { id: string }).id;
      const show = async () =>
        JSON.parse((await cli(['fleet', 'show', fleetId, '--json'], env)).stdout) as Detail;
      // Waited for through the work API, which `fleet show --json` prints: a CLI process every
      // few seconds would cost more CPU than the fleet's own services.
      const finished = async () => {
        const res = await fetch(`http://127.0.0.1:${stack.env.INGRESS_PORT}/api/v1/fleets/${fleetId}`, {
          headers: { authorization: `Bearer ${apiToken}` },
        });
        const detail = (await res.json()) as Detail;
        // A child is in review once its run pushed; its PR is opened by the notifier a moment
        // later, and recorded when the forge answers.
        const prsRecorded = detail.children.every((c) => c.state !== 'in_review' || c.pullRequest);
        return detail.fleet.state === 'finished' && prsRecorded && detail;
      };

      const done = await until(finished, 'the fleet to finish', 6 * 60_000, 1000);
      expect((await show()).children.map((c) => [c.repo, c.state])).toEqual(
        done.children.map((c) => [c.repo, c.state]),
      );
      const byRepo = Object.fromEntries(done.children.map((c) => [c.repo, c]));
      expect(done.children.map((c) => [c.repo, c.state])).toEqual([
        ['acme/svc-1', 'in_review'],
        ['acme/svc-2', 'in_review'],
        ['acme/svc-3', 'not_applicable'],
        ['acme/svc-4', 'failed'],
      ]);
      expect(byRepo['acme/svc-3']!.reason).toBe(
        'Add the licence line to the README A repository without a README.md has nothing to change.',
      );
      expect(byRepo['acme/svc-3']!.pullRequest).toBeNull();
      expect(byRepo['acme/svc-4']!).toMatchObject({
        verification: 'failed',
        reason: '`node check.js` failed (exit 1) after 2 fix round(s)',
        pullRequest: null,
      });
      for (const repo of ['acme/svc-1', 'acme/svc-2']) {
        expect(byRepo[repo]!).toMatchObject({ verification: 'none', attempts: 1 });
        expect(byRepo[repo]!.pullRequest?.number).toBe(1);
        expect(byRepo[repo]!.inputTokens).toBeGreaterThan(0);
        expect(byRepo[repo]!.durationMs).toBeGreaterThan(0);
      }
      expect(done.fleet.progress.counts).toMatchObject({ in_review: 2, not_applicable: 1, failed: 1 });
      expect(done.fleet.progress.etaSeconds).toBe(0);

      // The two PRs name the fleet and link each other.
      const linked = async (names: string[]) =>
        until(
          async () => {
            const bodies = await Promise.all(
              names.map(async (n) => (await forge.pull('acme', n, 1)).body ?? ''),
            );
            return (
              bodies.every((body, i) =>
                names.every((other, j) => i === j || body.includes(`acme/${other}: http`)),
              ) && bodies
            );
          },
          `the PRs of ${names.join(', ')} to link each other`,
          60_000,
        );
      const bodies = await linked(['svc-1', 'svc-2']);
      for (const body of bodies)
        expect(body).toContain(`**Fleet** “Add the licence line to the README” (\`${fleetId}\`)`);
      expect(bodies[0]).not.toContain('acme/svc-1: http');

      const csv = await cli(['fleet', 'export', fleetId, '--format', 'csv'], env);
      expect(csv.stdout.split('\r\n')[0]).toBe(
        'repo,state,pull_request,verification,duration_ms,input_tokens,output_tokens,attempts,reason',
      );
      expect(csv.stdout).toContain('acme/svc-3,not_applicable,,none,');

      // The check is fixed on main; the retry runs the failed child again, and only it.
      const clone = path.join(stack.dataDir, 'svc-4-fix');
      execFileSync('git', [
        'clone',
        '-q',
        `http://x-access-token:${token}@127.0.0.1:${stack.env.FORGE_PORT}/acme/svc-4.git`,
        clone,
      ]);
      fs.writeFileSync(path.join(clone, 'check.js'), "console.log('release notes present');\n");
      git(clone, 'commit', '-qam', 'release notes');
      git(clone, 'push', '-q', 'origin', 'main');
      const retried = await cli(['fleet', 'retry', fleetId, '--json'], env);
      expect(JSON.parse(retried.stdout)).toMatchObject({ retried: ['acme/svc-4'] });

      const after = await until(finished, 'the retried child to end', 4 * 60_000, 1000);
      expect(after.children.find((c) => c.repo === 'acme/svc-4')).toMatchObject({
        state: 'in_review',
        attempts: 2,
        verification: 'passed',
        reason: null,
      });
      await linked(['svc-1', 'svc-2', 'svc-4']);
    },
    14 * 60_000,
  );
});
