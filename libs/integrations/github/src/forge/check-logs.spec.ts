import { startGitHubStandIn, GitHubStandIn } from '@horizon/testing';
import { createGitHubApp, mintInstallationToken, octokitFor } from '../app/github-app';
import { readGithubCheckLogs } from './check-logs';

describe('reading a failing check’s logs from GitHub (real Octokit against the stand-in)', () => {
  let gh: GitHubStandIn;
  let token: (permissions: Record<string, 'read' | 'write'>) => Promise<string>;
  const check = { owner: 'acme', repo: 'widgets', kind: 'check_run' as const };

  beforeAll(async () => {
    gh = await startGitHubStandIn();
    gh.seedRepo({ owner: 'acme', name: 'widgets' });
    gh.seedInstallation({
      account: 'acme',
      repositories: ['widgets'],
      permissions: { checks: 'read', actions: 'read', metadata: 'read' },
    });
    const app = await createGitHubApp({ appId: gh.app.id, privateKey: gh.app.privateKey, baseUrl: gh.url });
    token = async (permissions) =>
      (await mintInstallationToken(app, { owner: 'acme', repo: 'widgets', permissions })).token;
  });
  afterAll(() => gh.close());

  const seedRun = (author: string, output: { title?: string; summary?: string; text?: string } | null) => {
    const run = {
      id: gh.model.id(),
      repo: 'acme/widgets',
      name: 'test (20.x)',
      headSha: 'a'.repeat(40),
      status: 'completed',
      conclusion: 'failure',
      output,
      author,
    };
    gh.model.checkRuns.push(run);
    return run.id;
  };

  it('downloads an Actions job’s log, following GitHub’s redirect to the blob', async () => {
    const id = seedRun('github-actions', { title: 'Process completed with exit code 1.' });
    gh.model.jobLogs.set(
      id,
      '2026-12-04T10:00:00Z npm test\n2026-12-04T10:00:09Z not ok 3 - totals round half up\n',
    );
    const octokit = await octokitFor(await token({ checks: 'read', actions: 'read' }), gh.url);
    expect(await readGithubCheckLogs(octokit, { ...check, id })).toContain('not ok 3 - totals round half up');
    const asked = gh.model.requests.filter((r) => r.path.includes(String(id)));
    expect(asked.map((r) => [r.method, r.path.replace(/\?.*/, ''), r.status])).toEqual([
      ['GET', `/repos/acme/widgets/check-runs/${id}`, 200],
      ['GET', `/repos/acme/widgets/actions/jobs/${id}/logs`, 302],
      ['GET', `/_blobs/job-logs/${id}`, 200],
    ]);
  });

  it('reads another app’s check run from its output', async () => {
    const id = seedRun('circleci-checks', {
      title: 'Tests failed',
      summary: '2 of 40 failed',
      text: 'totals.test.ts:12',
    });
    const octokit = await octokitFor(await token({ checks: 'read' }), gh.url);
    expect(await readGithubCheckLogs(octokit, { ...check, id })).toBe(
      'Tests failed\n\n2 of 40 failed\n\ntotals.test.ts:12',
    );
  });

  it('is refused what GitHub refuses: a token without actions: read, an unknown check run', async () => {
    const id = seedRun('github-actions', null);
    gh.model.jobLogs.set(id, 'log');
    const checksOnly = await octokitFor(await token({ checks: 'read' }), gh.url);
    await expect(readGithubCheckLogs(checksOnly, { ...check, id })).rejects.toMatchObject({ status: 403 });
    await expect(readGithubCheckLogs(checksOnly, { ...check, id: 999_999 })).rejects.toMatchObject({
      status: 404,
    });
    await expect(readGithubCheckLogs(checksOnly, { ...check, kind: 'status', id })).rejects.toThrow(
      'a status has no log of its own',
    );
  });
});
