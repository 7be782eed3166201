import { freePort, startOpenIdProvider, type OpenIdProvider } from '@horizon/testing';
import { BrowserJar } from './support/browser-jar';
import { ConsoleUnderTest } from './support/console-under-test';

const GRACE = {
  sub: 'grace-0001',
  name: 'Grace Hopper',
  preferred_username: 'grace',
  email: 'grace@acme.test',
  email_verified: true,
};

/**
 * Signing in to the console through a real OpenID Provider (`oidc-provider`, its own process)
 * and the real identity-broker (its own process): a browser's redirect chain hop by hop, with
 * its cookies, from the console's start route to the provider and back.
 */
describe('console sign-in with OpenID Connect, through identity-broker', () => {
  let hzn: ConsoleUnderTest;
  let idp: OpenIdProvider;
  let start: string;
  let callbackPath: string;

  beforeAll(async () => {
    const port = await freePort();
    callbackPath = '/auth/sign-in/oidc/callback';
    idp = await startOpenIdProvider([`http://127.0.0.1:${port}${callbackPath}`]);
    hzn = await ConsoleUnderTest.start({ CONSOLE_PORT: String(port) });
    await hzn.startPeer('identity-broker', {
      OIDC_ISSUER_URL: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_ISSUER_NAME: 'Acme SSO',
    });
    start = `${hzn.url}/auth/sign-in/oidc/start`;
  }, 120_000);

  afterAll(async () => {
    await hzn?.stop();
    await idp?.stop();
  });

  beforeEach(() => idp.signInAs(GRACE));

  /** Runs the chain up to the console's callback, without taking it: the URL the provider sent back. */
  async function toCallback(jar: BrowserJar): Promise<string> {
    const { next, last } = await jar.follow(start, (url) => url.pathname === callbackPath);
    if (!next) throw new Error(`the chain stopped at ${last.status}: ${await last.text()}`);
    return next;
  }

  async function audit(action: string): Promise<{ actor: string; detail: Record<string, string> }[]> {
    return hzn.query(
      `select actor, detail from console."ConsoleAudit" where action = '${action}' order by at`,
    );
  }

  it('offers the configured provider, by its name, to the sign-in page', async () => {
    const res = await fetch(`${hzn.url}/api/sign-in-methods`);
    expect(await res.json()).toEqual([{ method: 'oidc', label: 'Acme SSO' }]);
  });

  it('sends the browser to the provider with PKCE, keeping the verifier and binding the state to a cookie', async () => {
    const jar = new BrowserJar();
    const res = await jar.fetch(start);
    expect(res.status).toBe(303);
    const authorize = new URL(res.headers.get('location')!);
    expect(authorize.origin).toBe(idp.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${hzn.url}${callbackPath}`);
    expect(authorize.searchParams.has('code_verifier')).toBe(false);
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('hzn_sign_in='))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(jar.cookie(hzn.url, 'hzn_sign_in')).not.toBe(authorize.searchParams.get('state'));
  });

  it('turns away an identity nobody granted a role, and says whom to ask', async () => {
    const jar = new BrowserJar();
    const { last, hops } = await jar.follow(start);
    expect(hops.some((h) => h.startsWith(`${hzn.url}${callbackPath}`))).toBe(true);
    expect(last.status).toBe(403);
    expect(await last.text()).toContain('nobody has granted you a role in Horizon yet');
    expect(jar.cookie(hzn.url, 'hzn_session')).toBeUndefined();
    const [person] = await hzn.query<{ identityId: string | null }>(
      `select "identityId" from console."ConsolePerson" where name = 'grace'`,
    );
    expect(person?.identityId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await audit('auth.sign_in_refused')).toContainEqual(
      expect.objectContaining({ actor: 'grace', detail: expect.objectContaining({ reason: 'no_grants' }) }),
    );
  });

  it('signs in the identity once an admin grants it a role: the session works and is audited with the method', async () => {
    const admin = await hzn.signIn('root');
    const [grace] = await hzn.query<{ id: string }>(
      `select id from console."ConsolePerson" where name = 'grace'`,
    );
    const granted = await hzn.request(`/api/admin/people/${grace!.id}/grants`, {
      method: 'POST',
      browser: admin,
      body: { repo: '*', role: 'viewer' },
    });
    expect(granted.status).toBe(204);

    const jar = new BrowserJar();
    const callback = await toCallback(jar);
    const res = await jar.fetch(callback);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const sessionCookie = res.headers.getSetCookie().find((c) => c.startsWith('hzn_session='))!;
    expect(sessionCookie).toMatch(/HttpOnly/i);
    expect(sessionCookie).toMatch(/SameSite=Lax/i);
    expect(jar.cookie(hzn.url, 'hzn_sign_in')).toBeUndefined();

    const session = await fetch(`${hzn.url}/api/session`, {
      headers: { cookie: `hzn_session=${jar.cookie(hzn.url, 'hzn_session')}` },
    });
    expect(session.status).toBe(200);
    expect(await session.json()).toMatchObject({
      person: { id: grace!.id, name: 'grace' },
      grants: [{ repo: '*', role: 'viewer' }],
    });
    expect(await audit('auth.signed_in')).toContainEqual({ actor: 'grace', detail: { method: 'oidc' } });
  });

  it("grants an admin's auto-grant role to a first sign-in from a verified email domain, and only then", async () => {
    const admin = await hzn.signIn('root');
    const rules = (body: unknown) =>
      hzn.request('/api/admin/auto-grants', { method: 'POST', browser: admin, body });
    const bad = await rules({ domain: '*.acme.test' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('a domain such as acme.com');
    const created = await rules({ domain: 'Example.ORG' });
    expect(created.status).toBe(201);
    const rule = (await created.json()) as { id: string };
    expect(rule).toMatchObject({ domain: 'example.org', repo: '*', role: 'viewer', createdBy: 'root' });
    expect((await rules({ domain: 'example.org' })).status).toBe(409);
    const member = await hzn.signIn('mel', 'member', '*');
    expect((await hzn.request('/api/admin/auto-grants', { browser: member })).status).toBe(403);

    const signInAs = async (person: typeof GRACE) => {
      await idp.signInAs(person);
      const jar = new BrowserJar();
      return { jar, res: (await jar.follow(start)).last };
    };
    const ada = {
      ...GRACE,
      sub: 'ada-0001',
      name: 'Ada',
      preferred_username: 'ada',
      email: 'ada@example.org',
    };
    const first = await signInAs(ada);
    expect(first.res.status).toBe(200);
    expect(first.jar.cookie(hzn.url, 'hzn_session')).toBeDefined();
    expect(await audit('auth.auto_granted')).toEqual([
      {
        actor: 'auto-grant',
        detail: { domain: 'example.org', repo: '*', role: 'viewer', rule: rule.id },
      },
    ]);
    // An email the provider did not verify grants nothing.
    const unverified = { ...ada, sub: 'eve-0001', preferred_username: 'eve', email: 'eve@example.org' };
    expect((await signInAs({ ...unverified, email_verified: false })).res.status).toBe(403);
    // Only a first sign-in: once an admin takes the role away, signing in again does not restore it.
    const [adaPerson] = await hzn.query<{ id: string }>(
      `select id from console."ConsolePerson" where name = 'ada'`,
    );
    await hzn.request(`/api/admin/people/${adaPerson!.id}/grants`, {
      method: 'POST',
      browser: admin,
      body: { repo: '*', role: null },
    });
    expect((await signInAs(ada)).res.status).toBe(403);
    expect(
      (await hzn.request(`/api/admin/auto-grants/${rule.id}/delete`, { method: 'POST', browser: admin }))
        .status,
    ).toBe(204);
    expect(await (await hzn.request('/api/admin/auto-grants', { browser: admin })).json()).toEqual([]);
    expect((await audit('auto_grant.removed')).map((e) => e.actor)).toEqual(['root']);
  });

  it('refuses a replayed callback: a code and its state work once', async () => {
    const jar = new BrowserJar();
    const callback = await toCallback(jar);
    const binding = jar.cookie(hzn.url, 'hzn_sign_in')!;
    expect((await jar.fetch(callback)).status).toBe(303);
    jar.setCookie(hzn.url, 'hzn_sign_in', binding);
    const replay = await jar.fetch(callback);
    expect(replay.status).toBe(401);
    expect(await replay.text()).toContain('this sign-in was already completed once');
  });

  it('refuses a state it did not issue', async () => {
    const jar = new BrowserJar();
    const callback = new URL(await toCallback(jar));
    callback.searchParams.set('state', 'a-state-someone-made-up');
    const res = await jar.fetch(callback.toString());
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('this sign-in was not started here (unknown state)');
  });

  it('refuses a callback carried to another browser, without spoiling the real one', async () => {
    const attacker = new BrowserJar();
    const callback = await toCallback(attacker);

    const stranger = new BrowserJar();
    const bare = await stranger.fetch(callback);
    expect(bare.status).toBe(401);
    expect(await bare.text()).toContain('This browser has no sign-in in progress');

    const victim = new BrowserJar();
    await victim.fetch(start); // the victim has a sign-in of their own in flight
    const planted = await victim.fetch(callback);
    expect(planted.status).toBe(401);
    expect(await planted.text()).toContain('this sign-in was started in another browser');
    expect(victim.cookie(hzn.url, 'hzn_session')).toBeUndefined();

    expect((await attacker.fetch(callback)).status).toBe(303);
  });

  it('says so when the person declines at the provider', async () => {
    await idp.signInAs(null);
    const { last } = await new BrowserJar().follow(start);
    expect(last.status).toBe(401);
    const page = await last.text();
    expect(page).toContain('The provider refused the sign-in: access_denied');
    expect(page).toContain('the person declined');
  });

  it('says GitHub sign-in is not configured when the broker has no GitHub App', async () => {
    const res = await new BrowserJar().fetch(`${hzn.url}/auth/sign-in/github/start`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('GitHub sign-in is not configured');
  });
});
