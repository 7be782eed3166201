import { identityLink } from '@horizon/contracts';
import type { IdentityList } from '../src/shared/console-api';
import { ConsoleUnderTest, type Browser } from './support/console-under-test';

/**
 * Settings' identity links over real HTTP, with the real identity-broker (its own process and
 * role) holding them: linked the way `horizon identity link` does, read by the console over RPC.
 */
describe('console identity links', () => {
  let hzn: ConsoleUnderTest;
  let admin: Browser;

  beforeAll(async () => {
    hzn = await ConsoleUnderTest.start();
    await hzn.startPeer('identity-broker');
    admin = await hzn.signIn('ada');
  }, 120_000);
  afterAll(() => hzn?.stop());

  it('lists each identity with its linked accounts, to admins of every repository only', async () => {
    const { identity } = await hzn.rpc().call(identityLink, {
      displayName: 'Grace Hopper',
      provider: 'github',
      externalId: '1001',
      login: 'grace',
    });
    await hzn
      .rpc()
      .call(identityLink, { identityId: identity.id, provider: 'slack', externalId: 'U0GRACE', login: null });

    const res = await hzn.request('/api/admin/identities', { browser: admin });
    expect(res.status).toBe(200);
    const { identities } = (await res.json()) as IdentityList;
    expect(identities).toContainEqual({
      id: identity.id,
      displayName: 'Grace Hopper',
      links: [
        { provider: 'github', externalId: '1001', login: 'grace' },
        { provider: 'slack', externalId: 'U0GRACE', login: null },
      ],
    });

    const repoAdmin = await hzn.signIn('linus', 'admin', 'acme/api');
    const refused = await hzn.request('/api/admin/identities', { browser: repoAdmin });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toMatch(/admin of every repository/);
  });

  it("unlinks an account: an admin anyone's, audited; others are refused with the broker's reason", async () => {
    const { identity } = await hzn.rpc().call(identityLink, {
      displayName: 'Linus',
      provider: 'linear',
      externalId: 'lin-linus',
      login: 'linus@example.com',
    });
    const unlink = (as: Browser, externalId = 'lin-linus', id = identity.id) =>
      hzn.request(`/api/identities/${id}/unlink`, {
        method: 'POST',
        browser: as,
        body: { provider: 'linear', externalId },
      });

    const member = await hzn.signIn('margaret', 'member', '*');
    const refused = await unlink(member);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toBe(
      'margaret may unlink only their own accounts, and linear account lin-linus belongs to someone else; ask an admin',
    );
    const bad = await hzn.request(`/api/identities/${identity.id}/unlink`, {
      method: 'POST',
      browser: admin,
      body: { provider: 'myspace', externalId: 'x' },
    });
    expect(bad.status).toBe(400);

    const done = await unlink(admin);
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ id: identity.id, displayName: 'Linus', links: [] });
    const again = await unlink(admin);
    expect(again.status).toBe(404);
    expect(((await again.json()) as { message: string }).message).toMatch(
      /linear account lin-linus is not linked/,
    );

    const { entries } = (await (await hzn.request('/api/admin/audit', { browser: admin })).json()) as {
      entries: { actor: string; action: string; target: string | null; detail: object }[];
    };
    expect(entries.filter((e) => e.action === 'identity.unlinked')).toEqual([
      expect.objectContaining({
        actor: 'ada',
        target: 'Linus',
        detail: { identityId: identity.id, provider: 'linear', externalId: 'lin-linus' },
      }),
    ]);
  });
});
