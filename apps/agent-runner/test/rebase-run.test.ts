import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ScriptedModelServer, git } from '@horizon/testing';
import { SandboxRuns } from './support/sandbox-runs';

// A rebase run: the bundled runner in a real bwrap sandbox merges the base into the pushed
// branch; the scripted model plays an agent that gives up, then one that resolves.
jest.setTimeout(300_000);

describe('rebase runs in a sandbox (bundled runner, real OpenCode, scripted model, git forge)', () => {
  const runs = new SandboxRuns();
  beforeAll(() => runs.start());
  afterAll(() => runs.close());
  // Three runs in a row: each gets the default minute from its own start, not the test's.
  const specFor = (handle: Parameters<SandboxRuns['specFor']>[0], o: Parameters<SandboxRuns['specFor']>[1]) =>
    runs.specFor(handle, { ...o, deadlineAt: new Date(Date.now() + 90_000).toISOString() });

  const giveUp = {
    title: 'Give up',
    steps: [
      {
        match: { lastRole: 'user' as const, userContains: '- greeting.js' },
        respond: { text: 'I cannot tell which greeting wins.' },
      },
    ],
  };
  const resolve = {
    title: 'Resolve',
    steps: [
      {
        match: { lastRole: 'user' as const, userContains: '- greeting.js' },
        respond: {
          toolCalls: [
            {
              tool: 'write',
              args: {
                filePath: '/workspace/greeting.js',
                content: "module.exports = () => 'Hello, Horizon';\n",
              },
            },
          ],
        },
      },
      {
        match: { lastRole: 'tool' as const },
        respond: { text: 'Merge main: keep the greeting the tests expect' },
      },
    ],
  };

  it('merges the base in: unresolved conflicts fail the run naming the files; resolved ones push a merge, no force', async () => {
    const branch = `horizon/${randomUUID()}`;
    const implement = await ScriptedModelServer.start({
      script: 'fix-greeting.yaml',
      vars: { workdir: '/workspace', greeting: 'Hello, Horizon' },
    });
    const failing = await ScriptedModelServer.start({ script: giveUp });
    const resolving = await ScriptedModelServer.start({ script: resolve });
    try {
      const first = await runs.boot(branch, implement.baseUrl);
      const implemented = await runs.run(first, specFor(first, { branch }));
      expect(implemented.report.outcome).toBe('succeeded');
      // main moves under the branch: the same line, another greeting.
      const work = mkdtempSync(join(tmpdir(), 'rebase-main-'));
      git(work, 'clone', '--quiet', runs.bare, '.');
      writeFileSync(join(work, 'greeting.js'), "module.exports = () => 'Hi';\n");
      git(work, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '--quiet', '-am', 'Hi');
      git(work, 'push', '--quiet', 'origin', 'main');

      const rebase = {
        branch,
        kind: 'rebase' as const,
        prompt: 'Bring this branch up to date: #7 was merged into `main`.',
      };
      const stuck = await runs.boot(branch, failing.baseUrl);
      const gaveUp = await runs.run(stuck, specFor(stuck, rebase));
      expect(failing.failures).toEqual([]);
      expect(gaveUp.report).toMatchObject({
        outcome: 'failed',
        reason: 'could not resolve the merge conflicts with main in greeting.js (conflict markers remain)',
        commitSha: null,
      });
      expect(git(runs.bare, 'rev-parse', `refs/heads/${branch}`)).toBe(implemented.report.commitSha);

      const handle = await runs.boot(branch, resolving.baseUrl);
      const resolved = await runs.run(handle, specFor(handle, rebase));
      expect(resolving.failures).toEqual([]);
      expect(resolved.report).toMatchObject({ outcome: 'succeeded', reason: null });
      const sha = resolved.report.commitSha!;
      expect(git(runs.bare, 'rev-parse', `refs/heads/${branch}`)).toBe(sha);
      expect(git(runs.bare, 'rev-list', '--parents', '-n', '1', sha).split(' ').slice(1)).toEqual([
        implemented.report.commitSha,
        git(runs.bare, 'rev-parse', 'main'),
      ]);
      expect(git(runs.bare, 'show', `${sha}:greeting.js`)).toBe("module.exports = () => 'Hello, Horizon';");
      expect(resolved.events.find((e) => e.kind === 'base.merged')?.detail).toEqual({
        baseRef: 'main',
        conflicts: ['greeting.js'],
      });
      const prompt = resolving.agentRequests[0]!.body!.messages.filter((m) => m.role === 'user').pop()!
        .content;
      expect(prompt).toContain('Horizon merged `main` into');
    } finally {
      await implement.close();
      await failing.close();
      await resolving.close();
    }
  });
});
