import type { CheckFailure } from '@horizon/contracts';
import {
  createGitHubApp,
  mintInstallationToken,
  revokeInstallationToken,
} from '@horizon/integrations-github';
import { startGitHubStandIn, type GitHubStandIn } from '@horizon/testing';
import { GithubCheckLogs, promptWithLogs } from './check-logs';

const failure: CheckFailure = {
  forge: 'local',
  repo: 'acme/prices',
  kind: 'check_run',
  id: 7,
  name: 'ci/test',
  conclusion: 'failure',
  headSha: 'a'.repeat(40),
};

describe('a fix run’s prompt with its check’s logs', () => {
  it('keeps the tail of long logs, where the failure is, and says how much was cut', () => {
    const logs = `${'ok\n'.repeat(5000)}not ok 1 - rounds half up\nAssertionError: 3 !== 2`;
    const prompt = promptWithLogs('Fix CI.', failure, { text: logs }, 100);
    expect(prompt).toContain(`Logs of "ci/test" (the last 100 of ${logs.length} characters):`);
    expect(prompt.endsWith('AssertionError: 3 !== 2\n```')).toBe(true);
    expect(prompt.length).toBeLessThan(300);
  });

  it('fences logs that hold a fence themselves with a longer one', () => {
    const prompt = promptWithLogs('Fix CI.', failure, { text: 'before\n```\ninside\n```' });
    expect(prompt).toBe('Fix CI.\n\nLogs of "ci/test":\n````\nbefore\n```\ninside\n```\n````');
  });

  it('says why there are no logs, so the agent runs the checks itself', () => {
    expect(promptWithLogs('Fix CI.', failure, { error: 'HTTP 404' })).toBe(
      'Fix CI.\n\nThe logs of "ci/test" could not be fetched (HTTP 404): find the failure by running the repository\'s checks.',
    );
    expect(promptWithLogs('Fix CI.', failure, { text: '  ' })).toContain('"ci/test" reported no output');
  });
});

describe('a GitHub check’s logs for a fix run (real Octokit against the GitHub stand-in)', () => {
  let gh: GitHubStandIn;
  let minted: { key: string; token: string; revoked: boolean }[];
  let reader: GithubCheckLogs;

  beforeAll(async () => {
    gh = await startGitHubStandIn();
    gh.seedRepo({ owner: 'acme', name: 'prices' });
    gh.seedInstallation({
      account: 'acme',
      repositories: ['prices'],
      permissions: { checks: 'write', actions: 'read', contents: 'write', metadata: 'read' },
    });
    const app = await createGitHubApp({ appId: gh.app.id, privateKey: gh.app.privateKey, baseUrl: gh.url });
    minted = [];
    // What identity-broker's mint_run_token and revoke_run_token do, on the same calls.
    reader = new GithubCheckLogs(
      {
        mint: async (key, repo) => {
          const [owner, name] = repo.split('/') as [string, string];
          const { token } = await mintInstallationToken(app, {
            owner,
            repo: name,
            permissions: { checks: 'read', actions: 'read' },
          });
          minted.push({ key, token, revoked: false });
          return token;
        },
        revoke: async (key) => {
          const entry = minted.find((m) => m.key === key)!;
          await revokeInstallationToken(entry.token, gh.url);
          entry.revoked = true;
        },
      },
      gh.url,
    );
  });
  afterAll(() => gh.close());

  it('reads an Actions job’s log with a token of its own, revoked at once', async () => {
    const id = gh.model.id();
    gh.model.checkRuns.push({
      id,
      repo: 'acme/prices',
      name: 'test',
      headSha: 'b'.repeat(40),
      status: 'completed',
      conclusion: 'failure',
      output: { title: 'Process completed with exit code 1.' },
      author: 'github-actions',
    });
    gh.model.jobLogs.set(id, 'npm test\nnot ok 1 - rounds half up\n');
    const runId = '6f1c2a7e-2b1d-4c3e-9f00-1a2b3c4d5e6f';
    const logs = await reader.read({ ...failure, forge: 'github', repo: 'acme/prices', id }, runId);
    expect(logs).toContain('not ok 1 - rounds half up');
    expect(minted).toHaveLength(1);
    expect(minted[0]!.key).not.toBe(runId);
    expect(minted[0]!.revoked).toBe(true);
    expect(gh.model.tokens.has(minted[0]!.token)).toBe(false);
  });
});
