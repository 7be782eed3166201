import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { parseConfig } from '@horizon/config';
import {
  apiWorkItemCreate,
  envelopeFor,
  Envelope,
  forgeOpenPullRequest,
  githubPullRequest,
  ForgeOpenPullRequestData,
  identityCompleteOAuth,
  identityLink,
  identityMintRunToken,
  identityStartOAuth,
} from '@horizon/contracts';
import {
  IdentityBrokerModule,
  identityBrokerConfigShape as brokerConfigShape,
} from '@horizon/identity-broker';
import { OctokitForge } from '@horizon/integrations-github';
import { HEADER, JetStreamConnection, Publisher, RpcClient } from '@horizon/messaging';
import { OrchestratorModule, orchestratorConfigShape } from '@horizon/orchestrator';
import {
  GitHubStandIn,
  startGitHubStandIn,
  TestDatabase,
  until,
  deadLetterOf,
  pullRequestClosed,
  SandboxStandIn,
} from '@horizon/testing';
import {
  NotifierModule,
  notifierConfigShape as configShape,
  pullRequestDeliveryKey,
} from '@horizon/notifier';
import { ServicesUnderTest } from './support/services';

const REPO = 'acme/widgets';
const REDIRECT = 'http://127.0.0.1:9/oauth/callback';

/**
 * The loop's last link as deployed: orchestrator, identity-broker and notifier modules in-process
 * over real Postgres and JetStream, sandbox-manager played on the command stream, GitHub played by
 * the stand-in and reached through the real Octokit client.
 */
describe('notifier opens runs’ pull requests (orchestrator, identity-broker, GitHub stand-in)', () => {
  let services: ServicesUnderTest;
  let gh: GitHubStandIn;
  let db: TestDatabase;
  let conn: JetStreamConnection;
  let publisher: Publisher;
  let rpc: RpcClient;
  let sandbox: SandboxStandIn;
  let pool: pg.Pool;
  let dataDir: string;

  beforeAll(async () => {
    [gh, services] = await Promise.all([startGitHubStandIn(), ServicesUnderTest.start('pr-test')]);
    gh.seedUser('octo-owner', 'Ada Owner');
    gh.seedUser('grace-gh', 'Grace Hopper');
    gh.seedRepo({ owner: 'acme', name: 'widgets', collaborators: ['octo-owner', 'grace-gh'] });
    gh.seedInstallation({
      account: 'acme',
      repositories: ['widgets'],
      permissions: { contents: 'write', pull_requests: 'write', checks: 'write', metadata: 'read' },
    });
    await services.boot('identity-broker', (port, env) =>
      IdentityBrokerModule.register(
        parseConfig(brokerConfigShape, {
          ...env,
          IDENTITY_BROKER_PORT: port,
          GITHUB_API_URL: gh.url,
          GITHUB_APP_ID: String(gh.app.id),
          GITHUB_APP_PRIVATE_KEY: gh.app.privateKey.replace(/\n/g, '\\n'),
          GITHUB_APP_CLIENT_ID: gh.app.clientId,
          GITHUB_APP_CLIENT_SECRET: gh.app.clientSecret,
          IDENTITY_OAUTH_REDIRECT_URL: REDIRECT,
        }),
      ),
    );
    await services.boot('notifier', (port, env) =>
      NotifierModule.register(
        parseConfig(configShape, { ...env, NOTIFIER_PORT: port, GITHUB_API_URL: gh.url }),
      ),
    );
    await services.boot('orchestrator', (port, env) =>
      OrchestratorModule.register(
        parseConfig(orchestratorConfigShape, {
          ...env,
          ORCHESTRATOR_PORT: port,
          SCHEDULER_INTERVAL_MS: '500',
          FORGE_KIND: 'github',
        }),
      ),
    );
    ({ conn, publisher, dataDir, db } = services);
    rpc = new RpcClient(conn, 'pr-test');
    sandbox = await services.sandboxStandIn();
    pool = new pg.Pool({ connectionString: db.url, max: 2, options: '-c search_path=notifier' });
  });

  afterAll(async () => {
    await pool?.end();
    await services?.stop();
    await gh?.close();
  });

  /** Links `login`'s GitHub account through the App's OAuth, as a person does in the browser. */
  async function linkThroughOAuth(login: string): Promise<string> {
    gh.signInAs(login);
    const started = await rpc.call(identityStartOAuth, { provider: 'github' });
    const res = await fetch(started.authorizeUrl, { redirect: 'manual' });
    const back = new URL(res.headers.get('location')!);
    const { identity } = await rpc.call(identityCompleteOAuth, {
      provider: 'github',
      code: back.searchParams.get('code')!,
      state: back.searchParams.get('state')!,
    });
    return identity.id;
  }

  function command(overrides: Partial<ForgeOpenPullRequestData> = {}): ForgeOpenPullRequestData {
    const head = `horizon/${randomUUID().slice(0, 8)}-tidy`;
    return {
      workItemId: randomUUID(),
      runId: randomUUID(),
      repo: REPO,
      forge: 'github',
      head,
      base: 'main',
      commitSha: 'c'.repeat(40),
      title: 'Tidy the widgets',
      body: 'Renames `w` to `widget` so the call sites read.',
      verification: [{ command: 'npm test', exitCode: 0, durationMs: 4200 }],
      ownerId: null,
      ...overrides,
    };
  }

  async function send(data: ForgeOpenPullRequestData): Promise<Envelope> {
    const env = envelopeFor(forgeOpenPullRequest, data, { source: 'orchestrator' });
    await publisher.publish(env);
    return env;
  }

  /** Every forge command handed to the notifier has been acked or dead-lettered. */
  async function forgeQueueDrained(): Promise<void> {
    await until(async () => {
      const info = await conn.jsm.consumers.info(conn.naming.stream('CMD'), 'notifier-forge');
      return info.num_pending === 0 && info.num_ack_pending === 0;
    }, 'the notifier to settle its forge commands');
  }

  const pullsFor = (head: string) => gh.model.pulls.filter((p) => p.repo === REPO && p.head === head);
  const creates = () =>
    gh.model.requests.filter((r) => r.method === 'POST' && /\/pulls$/.test(r.path)).length;

  /** An implement item asked for through the API, as ingress publishes it; returns its id. */
  async function requestWork(title: string, ownerId: string | null): Promise<string> {
    const workItemId = randomUUID();
    await publisher.publish(
      envelopeFor(
        apiWorkItemCreate,
        {
          delivery: {
            source: 'api',
            deliveryId: `api-${randomUUID()}`,
            event: 'work_item_create',
            action: null,
            receivedAt: new Date().toISOString(),
          },
          workItemId,
          repo: REPO,
          title,
          description: 'Rename w to widget.',
          kind: 'implement',
          ownerId,
          blockedBy: [],
          autoStart: true,
          labels: [],
          priority: 3,
          requestedBy: 'cli:octo-owner',
        },
        { source: 'ingress' },
      ),
    );
    return workItemId;
  }

  it('an implement run that succeeds ends in a PR authored by its linked owner; redelivery opens no second', async () => {
    const ownerId = await linkThroughOAuth('octo-owner');
    sandbox.behaviour = (cmd) => {
      gh.pushBranch(REPO, cmd.branch, { sha: '8f3c1e2d4b5a69788796a5b4c3d2e1f0a9b8c7d6' });
      return 'succeed';
    };
    const workItemId = await requestWork('Tidy the widgets', ownerId);
    const branch = await until(() => sandbox.provisionsFor(workItemId)[0]?.data.branch, 'the provision');
    const [pr] = await until(() => pullsFor(branch).length > 0 && pullsFor(branch), 'the pull request');
    expect(pr).toMatchObject({
      author: 'octo-owner',
      base: 'main',
      title: 'Tidy the widgets',
      requestedReviewers: [],
    });
    expect(pr!.body).toContain('No verification commands configured');
    expect(pr!.body).not.toContain('**Owner:**');
    // The stand-in lists the PR as soon as GitHub answers; the notifier records the delivery after.
    const rows = await until(async () => {
      const result = await pool.query(
        `SELECT "status", "externalId" FROM "NotificationDelivery" WHERE "dedupeKey" = $1`,
        [pullRequestDeliveryKey(workItemId, branch)],
      );
      return result.rows[0]?.status === 'delivered' && result.rows;
    }, 'the delivery to be recorded');
    expect(rows).toEqual([
      { status: 'delivered', externalId: `https://github.com/${REPO}/pull/${pr!.number}` },
    ]);

    const before = creates();
    await send(command({ workItemId, head: branch, ownerId }));
    await forgeQueueDrained();
    expect(pullsFor(branch)).toHaveLength(1);
    expect(creates()).toBe(before);
  });

  it('an owner without a user token gets an app-authored PR that names them and asks their review', async () => {
    const { identity } = await rpc.call(identityLink, {
      displayName: 'Grace Hopper',
      provider: 'github',
      externalId: String(gh.model.user('grace-gh').id),
      login: 'grace-gh',
    });
    const data = command({
      ownerId: identity.id,
      trackerIssue: { identifier: 'ENG-31', url: 'https://linear.app/acme/issue/ENG-31' },
    });
    gh.pushBranch(REPO, data.head, { sha: data.commitSha });
    await send(data);
    const [pr] = await until(() => pullsFor(data.head).length > 0 && pullsFor(data.head), 'the pull request');
    expect(pr!.author).toBe(gh.app.botLogin);
    expect(pr!.body).toContain('Renames `w` to `widget`');
    expect(pr!.body).toContain('**Owner:** @grace-gh');
    expect(pr!.body).toContain('[ENG-31](https://linear.app/acme/issue/ENG-31)');
    expect(pr!.body).toContain('1 verification command passed');
    await until(() => pr!.requestedReviewers.length > 0, 'the review request');
    expect(pr!.requestedReviewers).toEqual(['grace-gh']);
  });

  it('an owner whose GitHub authorization was revoked still gets the PR, opened by the app in their name', async () => {
    gh.setUserTokenLifetime(60);
    const ownerId = await linkThroughOAuth('grace-gh');
    gh.setUserTokenLifetime(8 * 3600);
    gh.model.refreshTokens.clear();
    const data = command({ ownerId });
    gh.pushBranch(REPO, data.head, { sha: data.commitSha });
    await send(data);
    const [pr] = await until(() => pullsFor(data.head).length > 0 && pullsFor(data.head), 'the pull request');
    expect(pr!.author).toBe(gh.app.botLogin);
    expect(pr!.body).toContain('**Owner:** @grace-gh');
  });

  it('after a crash between opening and recording, the retry finds the open PR instead of opening another', async () => {
    const data = command();
    gh.pushBranch(REPO, data.head, { sha: data.commitSha });
    const key = pullRequestDeliveryKey(data.workItemId, data.head);
    // What the crashed attempt left: its claim (lease lapsed) and the PR it opened at GitHub.
    await pool.query(
      `INSERT INTO "NotificationDelivery" ("dedupeKey", "channel", "target", "status", "attempts", "leaseUntil")
       VALUES ($1, 'github', '{}', 'pending', 1, now() - interval '1 second')`,
      [key],
    );
    const minted = await rpc.call(identityMintRunToken, {
      runId: data.runId,
      repo: REPO,
      caller: 'notifier',
    });
    const earlier = await (
      await OctokitForge.withToken(minted.token, gh.url)
    ).createPullRequest(
      { owner: 'acme', repo: 'widgets' },
      { head: data.head, base: 'main', title: data.title, body: 'opened before the crash' },
    );
    const before = creates();
    await send(data);
    await until(async () => {
      const { rows } = await pool.query(
        `SELECT "status", "externalId", "attempts" FROM "NotificationDelivery" WHERE "dedupeKey" = $1`,
        [key],
      );
      return rows[0]?.status === 'delivered' && rows[0];
    }, 'the delivery record').then((row) =>
      expect(row).toMatchObject({ externalId: earlier.url, attempts: 2 }),
    );
    expect(pullsFor(data.head)).toHaveLength(1);
    expect(creates()).toBe(before);
    // The pushed commit's verification is reported as the app's check run.
    const check = await until(
      () => gh.model.checkRuns.find((c) => c.repo === REPO && c.headSha === data.commitSha),
      'the check run',
    );
    expect(check).toMatchObject({ name: 'Horizon verification', status: 'completed', conclusion: 'success' });
    expect(check.author).toMatch(/\[bot\]$/);
  });

  it('a merge on GitHub that leaves another Horizon PR conflicting starts its rebase run, asking GitHub with a read-only token', async () => {
    sandbox.behaviour = (cmd) => {
      gh.pushBranch(REPO, cmd.branch, { sha: randomUUID().replace(/-/g, '').padEnd(40, '0') });
      return 'succeed';
    };
    const [first, second] = [
      await requestWork('Add the menu', null),
      await requestWork('Restyle the menu', null),
    ];
    const prOf = async (workItemId: string) => {
      const branch = await until(() => sandbox.provisionsFor(workItemId)[0]?.data.branch, 'the provision');
      return until(() => pullsFor(branch)[0], `the pull request of ${branch}`);
    };
    const [merged, rival] = [await prOf(first), await prOf(second)];
    await until(async () => {
      const { rows } = await pool.query<{ state: string }>(
        `SELECT "state"::text AS "state" FROM orchestrator."WorkItem" WHERE "id" = ANY($1::uuid[])`,
        [[first, second]],
      );
      return rows.length === 2 && rows.every((r) => r.state === 'in_review');
    }, 'both items in review');

    const readOnlyGrants = () =>
      [...gh.model.tokens.values()].filter(
        (t) =>
          t.kind === 'installation' &&
          JSON.stringify(t.permissions) === JSON.stringify({ pull_requests: 'read', metadata: 'read' }),
      ).length;
    const grantsBefore = readOnlyGrants();
    gh.mergePull(REPO, merged.number, { conflicting: [rival.number], pendingAsks: 1 });
    const closed = pullRequestClosed({ branch: merged.head, number: merged.number, merged: true });
    const repository = { id: 1296269, owner: 'acme', name: 'widgets', fullName: REPO };
    const delivered = { ...closed, repository, installationId: [...gh.model.installations.keys()][0]! };
    await publisher.publish(
      envelopeFor(githubPullRequest, delivered, {
        id: `github:${closed.delivery.deliveryId}`,
        source: 'ingress',
      }),
    );

    const rebase = await until(
      () => sandbox.provisionsFor(second).find((p) => p.data.kind === 'rebase'),
      'the rebase run of the conflicting PR',
    );
    expect(rebase.data.branch).toBe(rival.head);
    expect(sandbox.provisionsFor(first).filter((p) => p.data.kind === 'rebase')).toEqual([]);
    const asks = gh.model.requests.filter(
      (r) => r.method === 'GET' && r.path === `/repos/${REPO}/pulls/${rival.number}`,
    );
    expect(asks.length).toBeGreaterThanOrEqual(2); // GitHub answers `mergeable: null` first
    expect(asks.every((r) => r.auth === 'installation' && r.status === 200)).toBe(true);
    expect(readOnlyGrants()).toBeGreaterThan(grantsBefore);
  });

  it('a PR on a local forge with no token is dead-lettered naming FORGE_TOKEN', async () => {
    const env = await send(command({ forge: 'local' }));
    const dead = await deadLetterOf(conn, env.id);
    expect(dead.header.get(HEADER.dlqReason)).toBe(
      `the local forge's token is missing: set FORGE_TOKEN or start the forge so it writes ${path.join(dataDir, 'forge.token')}`,
    );
  });
});
