import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
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

/**
 * The agent review station on the whole stack as `npm start` runs it (no demo): the local forge,
 * every service, bwrap sandboxes with OpenCode, and the scripted model playing implementer,
 * reviewer and reviser (e2e/scripts/review-station). A Horizon PR gets an agent review with an
 * inline suggestion and a failing `Horizon review` check run, one self-revision, a second review
 * of the revised head, and no second self-revision.
 */
describe('agent review station, end to end on the local forge', () => {
  let stack: StackSandbox;
  let running: StackProcess;
  let pool: pg.Pool;

  beforeAll(async () => {
    stack = await createStackSandbox({
      HORIZON_DEMO: '0',
      MODEL_SERVER_SCRIPTS: path.join(ROOT, 'e2e', 'scripts', 'review-station'),
    });
    running = startStack(stack);
    await running.waitFor('press Ctrl-C to stop', 4 * 60_000);
    pool = new pg.Pool({ connectionString: stack.db.url, max: 1 });
  }, 5 * 60_000);

  afterAll(async () => {
    await running?.stop();
    await pool?.end();
    await stack?.remove();
  });

  function cli(args: string[], extra: Record<string, string> = {}) {
    return runCli(args, { ...stack.env, ...extra });
  }

  /** A small repository whose AGENTS.md the reviewer must follow. */
  function sampleRepository(): string {
    const dir = fs.mkdtempSync(path.join(stack.dataDir, 'prices-'));
    fs.mkdirSync(path.join(dir, '.horizon'));
    fs.writeFileSync(path.join(dir, '.horizon', 'config.yaml'), 'verify:\n  - node --test\n');
    fs.writeFileSync(path.join(dir, 'AGENTS.md'), 'Prices are integer cents.\n');
    fs.writeFileSync(path.join(dir, 'price.js'), 'module.exports = (cents, qty) => cents * qty;\n');
    fs.writeFileSync(
      path.join(dir, 'price.test.js'),
      "const test = require('node:test');\nconst assert = require('node:assert');\n" +
        "test('multiplies', () => assert.strictEqual(require('./price')(250, 2), 500));\n",
    );
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'prices');
    return dir;
  }

  it(
    'reviews a Horizon PR with inline comments, revises it once, reviews the revision, and stops there',
    async () => {
      const token = fs.readFileSync(path.join(stack.dataDir, 'forge.token'), 'utf8').trim();
      const forge = new ForgeClient({ baseUrl: `http://127.0.0.1:${stack.env.FORGE_PORT}`, token });
      await forge.createRepository({ owner: 'acme', name: 'prices', from: sampleRepository() });
      const apiToken = await cli(['token', 'create', '--name', 'review-e2e']);
      expect(apiToken.code).toBe(0);
      const created = await cli(
        ['work', 'create', '--repo', 'acme/prices', '--title', 'Format prices for the receipt', '--json'],
        { HORIZON_API_TOKEN: apiToken.stdout.trim() },
      );
      expect(created.code).toBe(0);

      const pr = await until(
        async () => (await forge.listPulls('acme', 'prices', 'all'))[0],
        'the pull request',
        4 * 60_000,
      );
      // Two agent reviews: the opened head, then the head the self-revision pushed.
      const reviews = await until(
        async () => {
          const found = (await forge.reviews('acme', 'prices', pr.number)).filter(
            (r) => r.author === 'horizon[bot]',
          );
          return found.length >= 2 && found;
        },
        'two agent reviews',
        6 * 60_000,
      );
      const heads = reviews.map((r) => r.commitSha);
      expect(new Set(heads).size).toBe(2);
      for (const review of reviews) {
        expect(review.state).toBe('commented');
        expect(review.body).toContain('Horizon review: changes requested (1 inline comment)');
        const comments = await forge.reviewComments('acme', 'prices', pr.number, review.id);
        expect(comments).toMatchObject([{ path: 'format.js', line: 1, author: 'horizon[bot]' }]);
        expect(comments[0]!.body).toContain(
          '```suggestion\nmodule.exports = (cents) => `€${(cents / 100).toFixed(2)}`;\n```',
        );
        const checks = await until(
          async () =>
            (await forge.checkRuns('acme', 'prices', review.commitSha)).find(
              (c) => c.name === 'Horizon review',
            ),
          'the Horizon review check run',
        );
        expect(checks.conclusion).toBe('failure');
      }

      // The revision took the suggestion; nothing else ran after the second review.
      const final = await forge.pull('acme', 'prices', pr.number);
      expect(final.headSha).toBe(heads[1]);
      await new Promise((r) => setTimeout(r, 5000));
      const { rows } = await pool.query<{ kind: string; runs: number }>(
        `SELECT w.kind::text AS kind, count(r.id)::int AS runs FROM orchestrator."WorkItem" w
         JOIN orchestrator."Run" r ON r."workItemId" = w.id WHERE w.repo = 'acme/prices'
         GROUP BY w.kind ORDER BY 1`,
      );
      expect(rows).toEqual([
        { kind: 'implement', runs: 2 },
        { kind: 'review', runs: 2 },
      ]);
      const revisions = await pool.query(
        `SELECT cause FROM orchestrator."AuditEvent" WHERE action = 'self_revision'`,
      );
      expect(revisions.rows).toEqual([
        { cause: 'the agent review requested changes (self-revision 1 of 1)' },
      ]);
      expect((await forge.reviews('acme', 'prices', pr.number)).length).toBe(2);
    },
    12 * 60_000,
  );
});
