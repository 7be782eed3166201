import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { until } from '@horizon/testing';
import type { StationStack } from './station-stack';

/**
 * The merge-conflict station on the whole stack with the scripted model (e2e/scripts/stations):
 * two Horizon PRs change the menu's one line; merging A leaves B conflicting, the forge says so,
 * a rebase run merges main into B's branch, the agent resolves the conflict, the checks pass,
 * the merge is pushed without force, and B merges.
 */
export function rebaseStationCases(station: () => StationStack): void {
  it(
    'rebases the PR a merge left conflicting, and it merges',
    async () => {
      await station().importRepository('acme/menu', {
        'menu.js': "module.exports = ['bread'];\n",
        'menu.test.js':
          "const test = require('node:test');\nconst assert = require('node:assert');\n" +
          "test('bread stays', () => assert.ok(require('./menu').includes('bread')));\n",
      });
      await station().createWork('acme/menu', ['Add soup to the menu', 'Add salad to the menu']);
      const forge = station().forge();
      const ann = station().forge('ann');
      const pulls = await until(
        async () => {
          const open = await forge.listPulls('acme', 'menu', 'open');
          return open.length === 2 && open;
        },
        'both pull requests',
        4 * 60_000,
        500,
      );
      const soup = pulls.find((p) => p.title.includes('soup'))!;
      const salad = pulls.find((p) => p.title.includes('salad'))!;

      await ann.review('acme', 'menu', soup.number, { event: 'APPROVE' });
      await ann.merge('acme', 'menu', soup.number);
      expect((await forge.pull('acme', 'menu', salad.number)).mergeable).toBe(false);

      const rebased = await until(
        async () => {
          const pr = await forge.pull('acme', 'menu', salad.number);
          return pr.headSha !== salad.headSha && pr.mergeable && pr;
        },
        'the rebase run’s push',
        4 * 60_000,
        500,
      );
      const said = (await forge.comments('acme', 'menu', salad.number)).map((c) => c.body);
      expect(said).toContainEqual(
        expect.stringContaining(
          `#${soup.number} was merged into \`main\` and this pull request no longer merges cleanly (merge conflict in menu.js)`,
        ),
      );

      // A merge commit on top of the branch's own head: the push was a fast-forward.
      const dir = fs.mkdtempSync(path.join(station().stack.dataDir, 'check-'));
      execFileSync('git', ['clone', '-q', station().gitUrl('acme/menu'), dir]);
      execFileSync('git', ['fetch', '-q', 'origin', salad.headRef], { cwd: dir });
      const parents = execFileSync('git', ['rev-list', '--parents', '-n', '1', rebased.headSha], { cwd: dir })
        .toString()
        .trim()
        .split(' ');
      expect(parents.slice(1)).toContain(salad.headSha);
      expect(parents).toHaveLength(3);

      await ann.review('acme', 'menu', salad.number, { event: 'APPROVE' });
      const merged = await ann.merge('acme', 'menu', salad.number);
      expect(merged.merged).toBe(true);
      execFileSync('git', ['pull', '-q', 'origin', 'main'], { cwd: dir });
      expect(fs.readFileSync(path.join(dir, 'menu.js'), 'utf8')).toBe(
        "module.exports = ['bread', 'soup', 'salad'];\n",
      );

      const { rows } = await station().pool.query<{ action: string }>(
        `SELECT action FROM orchestrator."AuditEvent" WHERE action = 'rebase'`,
      );
      expect(rows).toHaveLength(1);
    },
    10 * 60_000,
  );
}
