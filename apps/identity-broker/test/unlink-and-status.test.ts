import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  identityCompleteOAuth,
  identityIntegrationStatus,
  identityLink,
  identityStartOAuth,
  identityUnlink,
  identityUserToken,
} from '@horizon/contracts';
import type { JetStreamConnection } from '@horizon/messaging';
import { RpcClient } from '@horizon/messaging';
import {
  connectTestMessaging,
  createTestDatabase,
  createTestMessaging,
  startGitHubStandIn,
  startServiceProcess,
  type GitHubStandIn,
  type ServiceProcess,
  type TestDatabase,
  type TestMessaging,
} from '@horizon/testing';
import { checkGitHubApp } from '../src/application/github-app-probe';

const REDIRECT = 'http://127.0.0.1:9/oauth/callback';

/**
 * Unlinking accounts and the GitHub App's status, asked of identity-broker as its own process
 * (as `npm start` runs it) over real Postgres and NATS, GitHub played by the stand-in.
 */
describe('identity-broker: unlink and integration status', () => {
  let gh: GitHubStandIn;
  let db: TestDatabase;
  let messaging: TestMessaging;
  let broker: ServiceProcess;
  let conn: JetStreamConnection;
  let rpc: RpcClient;
  let dataDir: string;
  /** The status test stops GitHub part way. */
  let githubUp = true;

  beforeAll(async () => {
    [gh, db, messaging] = await Promise.all([
      startGitHubStandIn(),
      createTestDatabase(),
      createTestMessaging(),
    ]);
    gh.seedUser('octo-ada', 'Ada');
    gh.seedInstallation({ account: 'acme', repositories: [], permissions: { metadata: 'read' } });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'broker-unlink-'));
    ({ conn } = await connectTestMessaging(messaging, 'broker-unlink-test'));
    rpc = new RpcClient(conn, 'console');
    broker = await startServiceProcess('identity-broker', {
      db,
      messaging,
      dataDir,
      env: {
        GITHUB_API_URL: gh.url,
        GITHUB_APP_ID: String(gh.app.id),
        GITHUB_APP_PRIVATE_KEY: gh.app.privateKey.replace(/\n/g, '\\n'),
        GITHUB_APP_CLIENT_ID: gh.app.clientId,
        GITHUB_APP_CLIENT_SECRET: gh.app.clientSecret,
        IDENTITY_OAUTH_REDIRECT_URL: REDIRECT,
      },
    });
  }, 120_000);
  afterAll(async () => {
    await conn?.close();
    await broker?.stop();
    await Promise.all([githubUp && gh?.close(), messaging?.cleanup(), db?.drop()]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const grace = () =>
    rpc.call(identityLink, { displayName: 'Grace', provider: 'slack', externalId: 'U0GRACE', login: null });

  it('lets a person unlink their own account, and forgets the OAuth tokens that came with it', async () => {
    gh.signInAs('octo-ada');
    const started = await rpc.call(identityStartOAuth, { provider: 'github' });
    const back = new URL(
      (await fetch(started.authorizeUrl, { redirect: 'manual' })).headers.get('location')!,
    );
    const { identity } = await rpc.call(identityCompleteOAuth, {
      provider: 'github',
      code: back.searchParams.get('code')!,
      state: back.searchParams.get('state')!,
    });
    const githubId = String(gh.model.user('octo-ada').id);
    await rpc.call(identityLink, { identityId: identity.id, provider: 'local', externalId: 'ada' });
    const tokenOf = () =>
      rpc.call(identityUserToken, { identityId: identity.id, provider: 'github', caller: 'notifier' });
    expect((await tokenOf()).token).not.toBeNull();

    const after = await rpc.call(identityUnlink, {
      identityId: identity.id,
      provider: 'github',
      externalId: githubId,
      actor: { identityId: identity.id, admin: false, name: 'Ada' },
    });
    expect(after.identity.links).toEqual([{ provider: 'local', externalId: 'ada', login: null }]);
    expect((await tokenOf()).token).toBeNull();
    expect(broker.output()).not.toContain('"level":50');
  });

  it("refuses someone else's account to a non-admin, and says what is not there", async () => {
    const { identity } = await grace();
    const unlink = (actor: { identityId: string | null; admin: boolean }, externalId = 'U0GRACE') =>
      rpc.call(identityUnlink, {
        identityId: identity.id,
        provider: 'slack',
        externalId,
        actor: { ...actor, name: 'Mallory' },
      });
    await expect(unlink({ identityId: null, admin: false })).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/Mallory may unlink only their own accounts.*ask an admin/),
    });
    await expect(unlink({ identityId: null, admin: true }, 'U0NOBODY')).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringContaining(`slack account U0NOBODY is not linked to identity ${identity.id}`),
    });
    const byAdmin = await unlink({ identityId: null, admin: true });
    expect(byAdmin.identity).toMatchObject({ id: identity.id, links: [] });
    await expect(
      rpc.call(identityUnlink, {
        identityId: '00000000-0000-4000-8000-000000000000',
        provider: 'slack',
        externalId: 'U0GRACE',
        actor: { identityId: null, admin: true, name: 'Ada' },
      }),
    ).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/no identity 0000/) });
  });

  it("reports the GitHub App answering with the app's JWT, then not answering when GitHub is gone", async () => {
    const { checks } = await rpc.call(identityIntegrationStatus, {});
    expect(checks).toEqual([
      expect.objectContaining({
        integration: 'github',
        service: 'identity-broker',
        configured: true,
        answering: true,
        settings: ['GITHUB_APP_ID', 'GITHUB_APP_PRIVATE_KEY'],
        detail: `GitHub App ${gh.app.slug} answering at ${new URL(gh.url).origin}, installed on 1 account(s)`,
        latencyMs: expect.any(Number),
      }),
    ]);
    expect(gh.model.requests).toContainEqual(
      expect.objectContaining({ method: 'GET', path: '/app', status: 200, auth: 'app' }),
    );
    expect(JSON.stringify(checks)).not.toContain(gh.app.clientSecret);

    await gh.close();
    githubUp = false;
    const down = (await rpc.call(identityIntegrationStatus, {})).checks[0]!;
    expect(down).toMatchObject({ configured: true, answering: false });
    expect(down.detail).toContain(new URL(gh.url).origin);
  });

  it('names the settings to set when no app is configured, probing nothing', async () => {
    await expect(checkGitHubApp(null, 'https://api.github.com')).resolves.toMatchObject({
      integration: 'github',
      configured: false,
      answering: null,
      settings: ['GITHUB_APP_ID', 'GITHUB_APP_PRIVATE_KEY'],
      detail: expect.stringMatching(/set GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY for the identity-broker/),
    });
  });
});
