import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { until } from '@horizon/testing';
import type { StationStack } from './station-stack';

/**
 * The CI station on the whole stack with the scripted model (e2e/scripts/stations). The test
 * plays the user's own CI: it checks each head out of the forge, runs one command and reports
 * the result with `horizon pr check`. A failure starts a fix run that reads the CI log and
 * pushes, and the CI then passes; a second failure takes the second round; the third is
 * reported on the PR with the check and the rounds, and starts nothing. Then the label
 * `horizon:no-autofix`, put on and taken off with `horizon pr label`, stops and resumes the fixes.
 */
export function ciStationCases(station: () => StationStack): void {
  /** The user's CI: the commit checked out of the forge, one command run, its log reported. */
  async function ci(sha: string, name: string, command: string) {
    const dir = fs.mkdtempSync(path.join(station().stack.dataDir, 'ci-'));
    execFileSync('git', ['clone', '-q', station().gitUrl('acme/totals'), dir]);
    execFileSync('git', ['checkout', '-q', sha], { cwd: dir });
    const run = spawnSync('sh', ['-c', command], { cwd: dir, encoding: 'utf8' });
    const log = path.join(dir, 'ci.log');
    fs.writeFileSync(log, `$ ${command}\n${run.stdout}${run.stderr}`);
    const conclusion = run.status === 0 ? 'success' : 'failure';
    const reported = await station().cli([
      'pr',
      'check',
      'acme/totals',
      sha,
      '--name',
      name,
      '--conclusion',
      conclusion,
      '--output',
      log,
    ]);
    expect(reported).toMatchObject({ code: 0 });
    expect(reported.stdout).toContain(`"${name}": ${conclusion} on ${sha.slice(0, 12)}`);
    return conclusion;
  }

  const headMoves = (from: string, what: string) =>
    until(
      async () => {
        const pr = await station().forge().pull('acme', 'totals', 1);
        return pr.headSha !== from && pr.headSha;
      },
      what,
      4 * 60_000,
      500,
    );

  const comments = async () => (await station().forge().comments('acme', 'totals', 1)).map((c) => c.body);

  it(
    'fixes a failing check twice, with its logs, then reports the third failure and stops',
    async () => {
      await station().importRepository('acme/totals', {
        'round.js': 'module.exports = (cents) => cents;\n',
        'round.test.js':
          "const test = require('node:test');\nconst assert = require('node:assert');\n" +
          "test('whole cents stay', () => assert.strictEqual(require('./round')(2), 2));\n",
      });
      await station().createWork('acme/totals', ['Add a cents rounding helper']);
      const pr = await until(
        async () => (await station().forge().listPulls('acme', 'totals', 'all'))[0],
        'the pull request',
        4 * 60_000,
        500,
      );
      expect(pr.number).toBe(1);

      const roundsHalfUp = `node -e "require('assert').strictEqual(require('./round')(2.5), 3, 'round(2.5) should be 3')"`;
      expect(await ci(pr.headSha, 'ci/test', roundsHalfUp)).toBe('failure');
      const h1 = await headMoves(pr.headSha, 'the first fix pushed');
      expect(await ci(h1, 'ci/test', roundsHalfUp)).toBe('success');

      const lint = `grep -q "'use strict'" round.js || { echo "round.js:1 missing 'use strict'"; exit 1; }`;
      expect(await ci(h1, 'ci/lint', lint)).toBe('failure');
      const h2 = await headMoves(h1, 'the second fix pushed');
      expect(await ci(h2, 'ci/lint', lint)).toBe('success');

      // The user's CI fails a third time: reported once, no third fix.
      expect(await ci(h2, 'ci/e2e', 'echo "checkout flow: timeout after 30 s"; exit 1')).toBe('failure');
      const report = await until(
        async () => (await comments()).find((b) => b.includes('after 2 fix rounds')),
        'the report that the rounds are spent',
        60_000,
        500,
      );
      expect(report).toContain('The check **ci/e2e** failed again');
      const said = await comments();
      expect(said.filter((b) => /fix round \d of 2 starts/.test(b))).toEqual([
        expect.stringMatching(
          /^\*\*Horizon is fixing CI\*\*\n\nThe check \*\*ci\/test\*\* concluded `failure` on `[0-9a-f]{7}`: fix round 1 of 2 starts/,
        ),
        expect.stringMatching(
          /The check \*\*ci\/lint\*\* concluded `failure` on `[0-9a-f]{7}`: fix round 2 of 2 starts/,
        ),
      ]);

      await new Promise((r) => setTimeout(r, 3000));
      expect((await station().forge().pull('acme', 'totals', 1)).headSha).toBe(h2);
      const { rows } = await station().pool.query<{ action: string; cause: string }>(
        `SELECT action, cause FROM orchestrator."AuditEvent" WHERE action LIKE 'ci_fix%' ORDER BY "createdAt"`,
      );
      expect(rows.map((r) => r.action)).toEqual(['ci_fix', 'ci_fix', 'ci_fix_exhausted']);
      const runs = await station().pool.query<{ kind: string; runs: number }>(
        `SELECT w.kind::text AS kind, count(r.id)::int AS runs FROM orchestrator."WorkItem" w
         JOIN orchestrator."Run" r ON r."workItemId" = w.id WHERE w.repo = 'acme/totals' GROUP BY 1 ORDER BY 1`,
      );
      // The repository turns the agent review off: no review run beside them.
      expect(runs.rows).toEqual([{ kind: 'implement', runs: 3 }]);
    },
    10 * 60_000,
  );

  it(
    'stops the fixes when the PR is labeled horizon:no-autofix, and resumes them when the label is removed',
    async () => {
      const label = (flag: '--add' | '--remove') =>
        station().cli([
          'pr',
          'label',
          '1',
          '--repo',
          'acme/totals',
          '--as',
          'ann',
          flag,
          'horizon:no-autofix',
        ]);
      // The rounds-spent report above has the stop's title: ann's request is told apart by its words.
      const said = (title: string) =>
        until(
          async () =>
            (await comments()).find((b) => b.startsWith(`**${title}**`) && b.includes('As ann asked')),
          title,
          60_000,
          500,
        );
      expect(await label('--add')).toMatchObject({ code: 0, stdout: '#1: horizon:no-autofix\n' });
      await said('Horizon stopped fixing CI');
      expect(await label('--remove')).toMatchObject({ code: 0, stdout: '#1: no labels\n' });
      await said('Horizon fixes CI again');
      const { rows } = await station().pool.query<{ action: string }>(
        `SELECT action FROM orchestrator."AuditEvent" WHERE action IN ('ci_fix_stopped', 'ci_fix_resumed') ORDER BY "createdAt"`,
      );
      expect(rows.map((r) => r.action)).toEqual(['ci_fix_stopped', 'ci_fix_resumed']);
    },
    2 * 60_000,
  );
}
