import { randomUUID } from 'node:crypto';
import { parseConfig } from '@horizon/config';
import { identityMintRunToken, type CheckFailure } from '@horizon/contracts';
import { IdentityBrokerModule, identityBrokerConfigShape } from '@horizon/identity-broker';
import { RpcClient } from '@horizon/messaging';
import { checkLogReaders, sandboxManagerConfigShape } from '@horizon/sandbox-manager';
import { GitHubStandIn, startGitHubStandIn } from '@horizon/testing';
import { ServicesUnderTest } from './support/services';

const HEAD = 'b'.repeat(40);

/**
 * A fix run's GitHub check logs as sandbox-manager reads them (docs/stations.md): its reader,
 * wired from its configuration as at start, asks identity-broker (running, over real NATS and
 * Postgres, holding the App's key) for a token of `checks`/`actions: read` on the one
 * repository, reads the check from GitHub (the stand-in, through real Octokit) and has the token
 * revoked at once, leaving the run's own token alone.
 */
describe('GitHub check logs through identity-broker (real NATS, Postgres, GitHub stand-in)', () => {
  let services: ServicesUnderTest;
  let gh: GitHubStandIn;
  let rpc: RpcClient;

  beforeAll(async () => {
    [gh, services] = await Promise.all([startGitHubStandIn(), ServicesUnderTest.start('check-logs')]);
    gh.seedRepo({ owner: 'acme', name: 'prices' });
    gh.seedInstallation({
      account: 'acme',
      repositories: ['prices'],
      permissions: {
        contents: 'write',
        pull_requests: 'write',
        checks: 'write',
        actions: 'read',
        metadata: 'read',
      },
    });
    await services.boot('identity-broker', (port, env) =>
      IdentityBrokerModule.register(
        parseConfig(identityBrokerConfigShape, {
          ...env,
          IDENTITY_BROKER_PORT: port,
          GITHUB_API_URL: gh.url,
          GITHUB_APP_ID: String(gh.app.id),
          GITHUB_APP_PRIVATE_KEY: gh.app.privateKey.replace(/\n/g, '\\n'),
        }),
      ),
    );
    rpc = new RpcClient(services.conn, 'sandbox-manager');
  });

  afterAll(async () => {
    await services?.stop();
    await gh?.close();
  });

  const failing = (author: string, output: { title?: string; summary?: string; text?: string }) => {
    const id = gh.model.id();
    gh.model.checkRuns.push({
      id,
      repo: 'acme/prices',
      name: 'test (20.x)',
      headSha: HEAD,
      status: 'completed',
      conclusion: 'failure',
      output,
      author,
    });
    return id;
  };

  it('reads an Actions job’s log and another app’s output, each with a read-only token revoked at once', async () => {
    const config = parseConfig(sandboxManagerConfigShape, {
      ...services.env,
      GITHUB_APP_ID: String(gh.app.id),
      GITHUB_API_URL: gh.url,
    });
    const reader = checkLogReaders(config, rpc).github!;
    const actions = failing('github-actions', { title: 'Process completed with exit code 1.' });
    gh.model.jobLogs.set(actions, 'npm test\nnot ok 1 - totals round half up\n');
    const circle = failing('circleci-checks', { title: 'Tests failed', summary: '1 of 40 failed' });
    // The run's own token, as its egress proxy holds it: it has no `actions: read`, so a log
    // that comes back was read with the token minted for the read.
    const runId = randomUUID();
    const own = await rpc.call(identityMintRunToken, { runId, repo: 'acme/prices', caller: 'egress-proxy' });
    const before = gh.model.installationTokens.length;

    const failure: CheckFailure = {
      forge: 'github',
      repo: 'acme/prices',
      kind: 'check_run',
      id: actions,
      name: 'test (20.x)',
      conclusion: 'failure',
      headSha: HEAD,
    };
    expect(await reader.read(failure, runId)).toBe('npm test\nnot ok 1 - totals round half up\n');
    expect(await reader.read({ ...failure, id: circle }, runId)).toBe('Tests failed\n\n1 of 40 failed');

    const reads = gh.model.installationTokens.slice(before);
    expect(reads).toHaveLength(2);
    for (const { grant, revokedAt } of reads) {
      expect(grant.repositories).toEqual(['acme/prices']);
      expect(grant.permissions).toEqual({ checks: 'read', actions: 'read', metadata: 'read' });
      expect(revokedAt).toBeInstanceOf(Date);
    }
    expect(gh.model.tokens.has(own.token)).toBe(true);
  });
});
