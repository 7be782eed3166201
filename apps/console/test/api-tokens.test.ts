import { randomUUID } from 'node:crypto';
import type { ServiceProcess } from '@horizon/testing';
import type { ApiTokenList, AuditEntryView, CreatedApiToken } from '../src/shared/console-api';
import { ConsoleUnderTest, type Browser } from './support/console-under-test';

/**
 * Settings' work API tokens over real HTTP, with the real ingress (its own process and role)
 * keeping them: the console only asks it over RPC. A token made in the console works on
 * ingress's work API until it is revoked there, and both are audited with their actor.
 */
describe('console API tokens', () => {
  let hzn: ConsoleUnderTest;
  let ingress: ServiceProcess;
  let admin: Browser;
  const workApi = (token: string) =>
    fetch(`${ingress.url}/api/v1/work-items`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    hzn = await ConsoleUnderTest.start();
    ingress = await hzn.startPeer('ingress');
    admin = await hzn.signIn('ada');
  }, 120_000);
  afterAll(() => hzn?.stop());

  it('creates a token shown once, lists it without the secret, and revokes it on ingress', async () => {
    const res = await hzn.request('/api/admin/api-tokens', {
      method: 'POST',
      browser: admin,
      body: { name: 'ci', scopes: ['work:read'] },
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as CreatedApiToken;
    expect(created).toMatchObject({ name: 'ci', scopes: ['work:read'], expiresAt: null });
    expect(created.token).toMatch(/^hzn_/);
    expect((await workApi(created.token)).status).toBe(200);

    const listed = (await (
      await hzn.request('/api/admin/api-tokens', { browser: admin })
    ).json()) as ApiTokenList;
    expect(listed.tokens).toContainEqual(expect.objectContaining({ id: created.id, revokedAt: null }));
    expect(JSON.stringify(listed)).not.toContain(created.token);

    const revoked = await hzn.request(`/api/admin/api-tokens/${created.id}/revoke`, {
      method: 'POST',
      browser: admin,
    });
    expect(revoked.status).toBe(201);
    expect(await revoked.json()).toMatchObject({ id: created.id, revokedAt: expect.any(String) });
    expect((await workApi(created.token)).status).toBe(401);

    const { entries } = (await (await hzn.request('/api/admin/audit', { browser: admin })).json()) as {
      entries: AuditEntryView[];
    };
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: 'ada', action: 'api_token.created', target: 'ci' }),
        expect.objectContaining({ actor: 'ada', action: 'api_token.revoked', target: 'ci' }),
      ]),
    );
    expect(JSON.stringify(entries)).not.toContain(created.token);
  });

  it('refuses an admin of one repository, a bad request and an unknown token, saying why', async () => {
    const repoAdmin = await hzn.signIn('grace', 'admin', 'acme/api');
    const refused = await hzn.request('/api/admin/api-tokens', { browser: repoAdmin });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toMatch(/admin of every repository/);

    const bad = await hzn.request('/api/admin/api-tokens', {
      method: 'POST',
      browser: admin,
      body: { name: 'ci', scopes: ['work:everything'] },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/scopes/);

    const unknown = await hzn.request(`/api/admin/api-tokens/${randomUUID()}/revoke`, {
      method: 'POST',
      browser: admin,
    });
    expect(unknown.status).toBe(404);
  });

  it('answers 503 naming ingress while it does not answer', async () => {
    await ingress.stop();
    try {
      const res = await hzn.request('/api/admin/api-tokens', { browser: admin });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { message: string }).message).toMatch(
        /hzn\.rpc\.ingress\.list_api_tokens/,
      );
    } finally {
      await ingress.start();
    }
  }, 30_000);
});
