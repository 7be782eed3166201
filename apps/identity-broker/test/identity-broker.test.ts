import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { parseConfig } from '@horizon/config';
import {
  createEnvelope,
  identityCompleteOAuth,
  identityLink,
  identityMintRunToken,
  identityResolve,
  identityRevokeRunToken,
  identityStartOAuth,
  identityUserToken,
} from '@horizon/contracts';
import { buildCommitTrailers, OctokitForge, openAttributedPullRequest } from '@horizon/integrations-github';
import { JetStreamConnection, RpcClient } from '@horizon/messaging';
import { startService } from '@horizon/runtime';
import {
  startGitHubStandIn,
  GitHubStandIn,
  freePort,
  createTestDatabase,
  createTestMessaging,
  TestDatabase,
  TestMessaging,
} from '@horizon/testing';
import { IdentityBrokerModule } from '../src/app.module';
import { configShape } from '../src/config';
import { ProviderStandIn, startLinearStandIn, startSlackStandIn } from './provider-standins';

const REDIRECT = 'http://127.0.0.1:9/oauth/callback';

/** The broker as deployed: its Nest module over real Postgres and NATS, GitHub played by the stand-in. */
describe('identity-broker RPCs (real service module, Postgres, NATS, GitHub stand-in)', () => {
  let gh: GitHubStandIn;
  let linear: ProviderStandIn;
  let slack: ProviderStandIn;
  let db: TestDatabase;
  let messaging: TestMessaging;
  let app: INestApplication;
  let connection: JetStreamConnection;
  let rpc: RpcClient;
  let dataDir: string;

  beforeAll(async () => {
    [gh, linear, slack, db, messaging] = await Promise.all([
      startGitHubStandIn(),
      startLinearStandIn({ id: 'lin-user-1', name: 'Lin Ear', email: 'lin@example.com' }),
      startSlackStandIn({ id: 'U0SLACK1', teamId: 'T0TEAM', name: 'Sla Ck', email: 'slack@example.com' }),
      createTestDatabase(),
      createTestMessaging(),
    ]);
    gh.seedUser('octo-owner', 'Ada Owner');
    gh.seedRepo({ owner: 'acme', name: 'widgets', collaborators: ['octo-owner'] });
    gh.seedRepo({ owner: 'acme', name: 'gadgets', collaborators: ['octo-owner'] });
    gh.seedInstallation({
      account: 'acme',
      repositories: ['widgets', 'gadgets'],
      permissions: {
        contents: 'write',
        pull_requests: 'write',
        checks: 'write',
        issues: 'write',
        actions: 'read',
        metadata: 'read',
      },
    });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'broker-'));
    const port = await freePort();
    const config = parseConfig(configShape, {
      DATABASE_URL: db.urlFor('identity-broker'),
      NATS_URL: messaging.natsUrl,
      HZN_STREAM_PREFIX: messaging.prefix,
      LOG_LEVEL: 'silent',
      HORIZON_DATA_DIR: dataDir,
      IDENTITY_BROKER_PORT: String(port),
      GITHUB_API_URL: gh.url,
      GITHUB_APP_ID: String(gh.app.id),
      GITHUB_APP_PRIVATE_KEY: gh.app.privateKey.replace(/\n/g, '\\n'),
      GITHUB_APP_CLIENT_ID: gh.app.clientId,
      GITHUB_APP_CLIENT_SECRET: gh.app.clientSecret,
      LINEAR_CLIENT_ID: linear.clientId,
      LINEAR_CLIENT_SECRET: linear.clientSecret,
      LINEAR_AUTHORIZE_URL: `${linear.url}/oauth/authorize`,
      LINEAR_API_URL: linear.url,
      SLACK_CLIENT_ID: slack.clientId,
      SLACK_CLIENT_SECRET: slack.clientSecret,
      SLACK_AUTHORIZE_URL: `${slack.url}/openid/connect/authorize`,
      SLACK_API_URL: `${slack.url}/api/`,
      IDENTITY_OAUTH_REDIRECT_URL: REDIRECT,
    });
    app = await startService({
      name: 'identity-broker',
      module: IdentityBrokerModule.register(config),
      port,
    });
    connection = await JetStreamConnection.connect({
      natsUrl: messaging.natsUrl,
      prefix: messaging.prefix,
      name: 'broker-test',
    });
    rpc = new RpcClient(connection, 'notifier');
  });

  afterAll(async () => {
    await connection?.close();
    await app?.close();
    await Promise.all([gh.close(), linear.close(), slack.close(), messaging.cleanup(), db.drop()]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** What a browser does between start and complete: follow the authorize URL to the redirect. */
  async function authorize(authorizeUrl: string): Promise<{ code: string; state: string }> {
    const res = await fetch(authorizeUrl, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(REDIRECT);
    return { code: back.searchParams.get('code')!, state: back.searchParams.get('state')! };
  }

  async function rawCall(subject: string, data: unknown): Promise<unknown> {
    const envelope = createEnvelope({ type: subject, version: 2, subject, source: 'sandbox', data });
    const reply = await connection.nc.request(connection.naming.subject(subject), JSON.stringify(envelope), {
      timeout: 5000,
    });
    return reply.json();
  }

  async function linkGitHub(identityId?: string) {
    const started = await rpc.call(identityStartOAuth, {
      provider: 'github',
      ...(identityId ? { identityId } : {}),
    });
    const { code, state } = await authorize(started.authorizeUrl);
    return rpc.call(identityCompleteOAuth, { provider: 'github', code, state });
  }

  it('links by admin, resolves a provider user, and refuses to move a linked account', async () => {
    const { identity } = await rpc.call(identityLink, {
      displayName: 'Grace',
      provider: 'linear',
      externalId: 'lin-grace',
      login: 'grace@example.com',
    });
    await rpc.call(identityLink, { identityId: identity.id, provider: 'slack', externalId: 'U0GRACE' });
    const resolved = await rpc.call(identityResolve, { provider: 'slack', externalId: 'U0GRACE' });
    expect(resolved.identity).toMatchObject({ id: identity.id, displayName: 'Grace' });
    expect(resolved.identity!.links.map((l) => l.provider)).toEqual(['linear', 'slack']);
    expect((await rpc.call(identityResolve, { provider: 'github', externalId: '1' })).identity).toBeNull();
    const other = await rpc.call(identityLink, {
      displayName: 'Mallory',
      provider: 'local',
      externalId: 'mallory',
    });
    await expect(
      rpc.call(identityLink, { identityId: other.identity.id, provider: 'slack', externalId: 'U0GRACE' }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('a linked owner authors the PR, with the right trailers, and their token is ciphertext in Postgres', async () => {
    gh.signInAs('octo-owner');
    const { identity } = await linkGitHub();
    const link = identity.links.find((l) => l.provider === 'github')!;
    expect(link).toEqual({
      provider: 'github',
      externalId: String(gh.model.user('octo-owner').id),
      login: 'octo-owner',
    });

    const { token } = await rpc.call(identityUserToken, {
      identityId: identity.id,
      provider: 'github',
      caller: 'notifier',
    });
    expect(token!.login).toBe('octo-owner');
    const runId = randomUUID();
    const run = await rpc.call(identityMintRunToken, { runId, repo: 'acme/widgets', caller: 'notifier' });
    gh.pushBranch('acme/widgets', 'horizon/eng-7', { sha: 'f'.repeat(40) });
    const opened = await openAttributedPullRequest({
      appForge: await OctokitForge.withToken(run.token, gh.url),
      ownerForge: await OctokitForge.withToken(token!.accessToken, gh.url),
      repo: { owner: 'acme', repo: 'widgets' },
      head: 'horizon/eng-7',
      base: 'main',
      title: 'ENG-7',
      body: {
        summary: 'Done.',
        verification: [],
        owner: {
          displayName: identity.displayName,
          github: { id: Number(link.externalId), login: link.login! },
        },
      },
    });
    expect(opened.authoredBy).toBe('owner');
    expect(gh.model.pulls.find((p) => p.head === 'horizon/eng-7')!.author).toBe('octo-owner');
    expect(
      buildCommitTrailers(
        { displayName: 'Ada Owner', github: { id: Number(link.externalId), login: 'octo-owner' } },
        { name: 'Horizon', email: 'bot@example.com' },
      )[0],
    ).toBe(`Co-authored-by: Ada Owner <${link.externalId}+octo-owner@users.noreply.github.com>`);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const rows = await client.query<{ row: string; ciphertext: Buffer }>(
        `SELECT c::text AS row, ciphertext FROM identity."Credential" c`,
      );
      expect(rows.rows.length).toBeGreaterThanOrEqual(2);
      for (const secret of [token!.accessToken, run.token]) {
        for (const r of rows.rows) {
          expect(r.row).not.toContain(secret);
          expect(r.ciphertext.includes(Buffer.from(secret))).toBe(false);
        }
      }
    } finally {
      await client.end();
    }
    await rpc.call(identityRevokeRunToken, { runId });
  });

  it('refreshes a user token that is about to expire, with the refresh token', async () => {
    gh.seedUser('short-lived');
    gh.signInAs('short-lived');
    gh.setUserTokenLifetime(60);
    const { identity } = await linkGitHub();
    gh.setUserTokenLifetime(8 * 3600);
    const refreshesBefore = gh.model.requests.filter((r) => r.path === '/login/oauth/access_token').length;
    const first = (
      await rpc.call(identityUserToken, { identityId: identity.id, provider: 'github', caller: 'notifier' })
    ).token!;
    expect(gh.model.requests.filter((r) => r.path === '/login/oauth/access_token').length).toBe(
      refreshesBefore + 1,
    );
    expect(new Date(first.expiresAt!).getTime() - Date.now()).toBeGreaterThan(3600_000);
    const me = await fetch(`${gh.url}/user`, { headers: { authorization: `token ${first.accessToken}` } });
    expect(((await me.json()) as { login: string }).login).toBe('short-lived');
    const second = (
      await rpc.call(identityUserToken, { identityId: identity.id, provider: 'github', caller: 'notifier' })
    ).token!;
    expect(second.accessToken).toBe(first.accessToken);
  });

  it('mints a run token for one repository only, refused elsewhere, and revokes it', async () => {
    const runId = randomUUID();
    const minted = await rpc.call(identityMintRunToken, {
      runId,
      repo: 'acme/widgets',
      caller: 'egress-proxy',
    });
    expect(minted.repositories).toEqual(['widgets']);
    expect(minted.permissions).toEqual({
      contents: 'write',
      pull_requests: 'write',
      checks: 'write',
      metadata: 'read',
    });
    expect(new Date(minted.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(3600_000);
    expect(
      (await rpc.call(identityMintRunToken, { runId, repo: 'acme/widgets', caller: 'notifier' })).token,
    ).toBe(minted.token);

    gh.pushBranch('acme/gadgets', 'horizon/escape', { sha: '1'.repeat(40) });
    const forge = await OctokitForge.withToken(minted.token, gh.url);
    await expect(
      forge.createPullRequest(
        { owner: 'acme', repo: 'gadgets' },
        { head: 'horizon/escape', base: 'main', title: 'x', body: 'x' },
      ),
    ).rejects.toMatchObject({ status: 404 });
    expect(gh.model.pulls.some((p) => p.repo === 'acme/gadgets')).toBe(false);

    // Past the typed client, as a misbehaving caller would send them: the broker itself refuses.
    expect(
      await rawCall(identityMintRunToken.subject, { runId, repo: 'acme/widgets', caller: 'sandbox' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(
      await rawCall(identityMintRunToken.subject, {
        runId,
        repo: 'acme/widgets',
        caller: 'notifier',
        permissions: { administration: 'write' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_request' } });

    // What sandbox-manager asks to read a fix run's check logs: read only, and no more.
    const logsKey = randomUUID();
    const reading = await rpc.call(identityMintRunToken, {
      runId: logsKey,
      repo: 'acme/widgets',
      caller: 'egress-proxy',
      permissions: { checks: 'read', actions: 'read' },
    });
    expect(reading.permissions).toEqual({ checks: 'read', actions: 'read', metadata: 'read' });
    expect(reading.token).not.toBe(minted.token);
    expect(
      await rawCall(identityMintRunToken.subject, {
        runId: logsKey,
        repo: 'acme/widgets',
        caller: 'egress-proxy',
        permissions: { actions: 'write' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await rpc.call(identityRevokeRunToken, { runId: logsKey })).toEqual({ revoked: 1 });

    expect(await rpc.call(identityRevokeRunToken, { runId })).toEqual({ revoked: 1 });
    await expect(forge.getDiff({ owner: 'acme', repo: 'widgets' }, 1)).rejects.toMatchObject({ status: 401 });
    expect(await rpc.call(identityRevokeRunToken, { runId })).toEqual({ revoked: 0 });
  });

  it('links Linear through OAuth, exchanging the code at the token endpoint', async () => {
    const started = await rpc.call(identityStartOAuth, { provider: 'linear' });
    expect(new URL(started.authorizeUrl).searchParams.get('actor')).toBe('user');
    const { code, state } = await authorize(started.authorizeUrl);
    const { identity } = await rpc.call(identityCompleteOAuth, { provider: 'linear', code, state });
    expect(identity).toMatchObject({
      displayName: 'Lin Ear',
      links: [{ provider: 'linear', externalId: 'lin-user-1', login: 'lin@example.com' }],
    });
    expect(linear.tokenRequests.at(-1)).toMatchObject({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
    });
    await expect(rpc.call(identityCompleteOAuth, { provider: 'linear', code, state })).rejects.toMatchObject({
      code: 'oauth_failed',
    });
  });

  it('links Slack through OpenID Connect onto an existing identity, and refuses a forged state', async () => {
    const { identity: existing } = await rpc.call(identityLink, {
      displayName: 'Sla Ck',
      provider: 'local',
      externalId: 'slack-person',
    });
    const started = await rpc.call(identityStartOAuth, { provider: 'slack', identityId: existing.id });
    const { code, state } = await authorize(started.authorizeUrl);
    const forged = `${Buffer.from(JSON.stringify({ provider: 'slack', nonce: 'n', expiresAt: Date.now() + 60_000, keyId: 'x' })).toString('base64url')}.sig`;
    await expect(
      rpc.call(identityCompleteOAuth, { provider: 'slack', code, state: forged }),
    ).rejects.toMatchObject({ code: 'invalid_state' });
    const { identity } = await rpc.call(identityCompleteOAuth, { provider: 'slack', code, state });
    expect(identity.id).toBe(existing.id);
    expect(identity.links).toContainEqual({
      provider: 'slack',
      externalId: 'U0SLACK1',
      login: 'slack@example.com',
    });
  });

  it('generated a development key file, mode 0600, since no key was configured', () => {
    const stat = fs.statSync(path.join(dataDir, 'encryption.key'));
    expect(stat.mode & 0o777).toBe(0o600);
  });
});
