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
});
