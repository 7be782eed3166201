import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalForgeClient as ForgeClient } from '@horizon/local-forge-client';
import {
  freePort,
  suiteId,
  ForgeUnderTest,
  gitIn,
  runCli,
  sampleRepository,
  startForge,
} from '@horizon/testing';

describe('horizon CLI against a running forge (separate processes)', () => {
  let forge: ForgeUnderTest;
  let env: Record<string, string>;
  let source: string;
  let work: string;

  beforeAll(async () => {
    forge = await startForge();
    source = sampleRepository();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-work-'));
    const owner = new ForgeClient({ baseUrl: forge.url, token: forge.token, user: 'horizon[bot]' });
    await owner.createRepository({ owner: 'demo', name: 'app', from: source });
    await gitIn(work, [
      'clone',
      '-q',
      `http://x-access-token:${forge.token}@127.0.0.1:${forge.port}/demo/app.git`,
      'app',
    ]);
    const clone = path.join(work, 'app');
    await gitIn(clone, ['checkout', '-q', '-b', 'feature']);
    fs.writeFileSync(path.join(clone, 'mul.ts'), 'export const mul = (a: number, b: number) => a * b;\n');
    await gitIn(clone, ['add', '.']);
    await gitIn(clone, ['commit', '-q', '-m', 'mul']);
    await gitIn(clone, ['push', '-q', 'origin', 'feature']);
    await owner.createPull('demo', 'app', { head: 'feature', title: 'Add mul' });
    // Every other service points at a closed port: `status` must report them down.
    const closed = String(await freePort());
    env = {
      // A stream prefix no service answers on: ingress's RPCs find nobody.
      HZN_STREAM_PREFIX: suiteId().toUpperCase(),
      FORGE_PORT: String(forge.port),
      HORIZON_DATA_DIR: forge.dataDir,
      HORIZON_REPO: 'demo/app',
      ...Object.fromEntries(
        [
          'INGRESS_PORT',
          'ORCHESTRATOR_PORT',
          'SANDBOX_MANAGER_PORT',
          'IDENTITY_BROKER_PORT',
          'MCP_CONTEXT_PORT',
          'NOTIFIER_PORT',
        ].map((v) => [v, closed]),
      ),
    };
    // The token comes from the file the forge would write; FORGE_TOKEN is not passed.
    fs.writeFileSync(path.join(forge.dataDir, 'forge.token'), `${forge.token}\n`, { mode: 0o600 });
  });
  afterAll(async () => {
    await forge.close();
    fs.rmSync(source, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('lists, shows and diffs pull requests, as text and --json', async () => {
    const list = await runCli(['pr', 'list', '--json'], env);
    expect(list).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ number: 1, title: 'Add mul', author: 'horizon[bot]' }),
    ]);
    const text = await runCli(['pr', 'list'], env);
    expect(text.stdout).toMatch(/NUMBER\s+STATE\s+AUTHOR/);
    expect(text.stdout).toMatch(/1\s+open\s+horizon\[bot\]\s+feature → main\s+Add mul/);

    const labelled = await runCli(
      ['pr', 'label', '1', '--add', 'horizon:no-autofix', '--add', 'bug', '--remove', 'bug'],
      env,
    );
    expect(labelled).toMatchObject({ code: 0, stdout: '#1: horizon:no-autofix\n' });

    const show = await runCli(['pr', 'show', '1'], env);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('approved: no');
    expect(show.stdout).toContain('mergeable: yes');
    expect(show.stdout).toContain('labels: horizon:no-autofix');
    const diff = await runCli(['pr', 'diff', '1'], env);
    expect(diff.stdout).toContain('+export const mul');
  });

  it('comments, approves and merges as a named user; the merge is a real commit', async () => {
    const comment = await runCli(
      ['pr', 'comment', '1', '@horizon name it multiply', '--as', 'ann', '--json'],
      env,
    );
    expect(comment.code).toBe(0);
    expect(JSON.parse(comment.stdout)).toMatchObject({ author: 'ann', body: '@horizon name it multiply' });

    const early = await runCli(['pr', 'merge', '1', '--as', 'ann'], env);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('needs an approving review');

    expect((await runCli(['pr', 'approve', '1', '--as', 'ann'], env)).stdout).toBe(
      'review 1: approved on #1\n',
    );
    const merged = await runCli(['pr', 'merge', '1', '--as', 'ann'], env);
    expect(merged.code).toBe(0);
    const sha = /merged #1 into main: ([0-9a-f]{40})/.exec(merged.stdout)![1]!;
    const clone = path.join(work, 'app');
    await gitIn(clone, ['fetch', '-q', 'origin']);
    expect(await gitIn(clone, ['rev-parse', 'origin/main'])).toBe(sha);
    expect(
      JSON.parse((await runCli(['pr', 'list', '--state', 'all', '--json'], env)).stdout)[0],
    ).toMatchObject({
      merged: true,
      mergedBy: 'ann',
    });
  });

  it('answers bad arguments with a clear message and exit code 2, missing things with 3, a down service with 4', async () => {
    const cases: [string[], number, RegExp][] = [
      [['pr', 'frobnicate'], 2, /unknown command 'frobnicate'/],
      [['pr', 'show', 'abc'], 2, /"abc" is not a pull request number/],
      [['pr', 'list', '--state', 'maybe'], 2, /--state must be open, closed or all/],
      [['pr', 'list', '--repo', 'no-slash'], 2, /owner\/name/],
      [['pr', 'approve', '1', '--request-changes'], 2, /--request-changes needs --body/],
      [['work', 'list'], 2, /needs a token/],
      [
        ['work', 'create', '--repo', 'a/b', '--title', 't', '--harness', 'aider', '--token', 'hzn_x'],
        2,
        /'--harness <name>' argument 'aider' is invalid\. one of opencode, codex, claude-code/,
      ],
      [['usage', '--by', 'team', '--token', 'hzn_x'], 2, /one of run, item, plan, fleet, repo, person, day/],
      [['usage'], 2, /needs a token/],
      [['usage', '--token', 'hzn_x'], 4, /ingress is not reachable/],
      [['budget', 'continue', 'x', '--token', 'hzn_x'], 2, /say how much more/],
      [
        ['budget', 'continue', 'x', '--extra', 'lots', '--token', 'hzn_x'],
        2,
        /positive amount of US dollars/,
      ],
      [['budget', 'stop', 'x', '--token', 'hzn_x'], 4, /ingress is not reachable/],
      [['trigger', 'list'], 2, /needs a token/],
      [['fleet', 'list'], 2, /needs a token/],
      [
        ['fleet', 'create', '--title', 't', '--prompt', 'p', '--token', 'hzn_x'],
        2,
        /--repo \(repeated\) or --glob/,
      ],
      [
        [
          'fleet',
          'create',
          '--title',
          't',
          '--prompt',
          'p',
          '--glob',
          '*',
          '--cap',
          'many',
          '--token',
          'hzn_x',
        ],
        2,
        /--cap must be a whole number/,
      ],
      [
        ['fleet', 'export', 'x', '--format', 'xml', '--token', 'hzn_x'],
        2,
        /--format is csv or json, not xml/,
      ],
      [['fleet', 'list', '--token', 'hzn_x'], 4, /ingress is not reachable/],
      [
        ['trigger', 'create', '--name', 'x', '--repo', 'a/b', '--filter', '{nope'],
        2,
        /--filter must be JSON/,
      ],
      [['trigger', 'list', '--token', 'hzn_x'], 4, /ingress is not reachable/],
      [['run', 'logs', 'not-a-uuid'], 2, /is not a run id/],
      [['delivery', 'replay', 'myspace', 'x'], 2, /source must be github, linear, slack, trigger or local/],
      [['pr', 'show', '42'], 3, /pull request demo\/app#42 not found/],
      [['pr', 'label', '1', '--remove', 'wontfix'], 3, /Label does not exist/],
      [['pr', 'list', '--repo', 'demo/none'], 3, /repository demo\/none not found/],
      [['work', 'list', '--token', 'hzn_x'], 4, /ingress is not reachable/],
      [['work', 'start', 'x', '--token', 'hzn_x'], 4, /ingress is not reachable/],
      [['token', 'create', '--name', 'x'], 4, /ingress: hzn\.rpc\.ingress\.create_api_token: no answer/],
      [['token', 'create', '--name', 'x', '--scope', 'admin'], 2, /unknown scope admin/],
      [['delivery', 'replay', 'github', 'd-1'], 4, /ingress: hzn\.rpc\.ingress\.replay_delivery: no answer/],
    ];
    for (const [args, code, message] of cases) {
      const r = await runCli(args, env);
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.stderr).toMatch(message);
    }
    // One CLI process per case, a few seconds each on a busy machine.
  }, 120_000);

  it('reports each service in status, exit 4 while any is down, and documents itself in --help', async () => {
    const status = await runCli(['status', '--json'], env);
    expect(status.code).toBe(4);
    const services = JSON.parse(status.stdout) as { name: string; status: string }[];
    expect(services.find((s) => s.name === 'forge')).toMatchObject({ status: 'ready' });
    expect(services.find((s) => s.name === 'ingress')).toMatchObject({ status: 'down' });
    const help = await runCli(['--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(
      'Exit codes: 0 ok, 1 failure, 2 usage error, 3 not found, 4 service unavailable',
    );
    expect((await runCli(['pr', '--help'], env)).stdout).toContain('horizon pr approve 1');
  });
});
