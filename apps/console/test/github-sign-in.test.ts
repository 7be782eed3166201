import { startGitHubStandIn, type GitHubStandIn } from '@horizon/testing';
import { BrowserJar } from './support/browser-jar';
import { ConsoleUnderTest } from './support/console-under-test';

/**
 * Signing in to the console with GitHub: the real identity-broker process does the GitHub
 * App's user authorization against the GitHub stand-in (github.com's /login/oauth/authorize
 * and /login/oauth/access_token, the API's GET /user, in their wire format).
 */
describe('console sign-in with GitHub, through identity-broker', () => {
  let hzn: ConsoleUnderTest;
  let gh: GitHubStandIn;
  let start: string;

  beforeAll(async () => {
    gh = await startGitHubStandIn();
    gh.seedUser('octo-ada', 'Ada Lovelace');
    gh.signInAs('octo-ada');
    hzn = await ConsoleUnderTest.start();
    await hzn.startPeer('identity-broker', {
      GITHUB_API_URL: gh.url,
      GITHUB_APP_ID: String(gh.app.id),
      GITHUB_APP_PRIVATE_KEY: gh.app.privateKey.replace(/\n/g, '\\n'),
      GITHUB_APP_CLIENT_ID: gh.app.clientId,
      GITHUB_APP_CLIENT_SECRET: gh.app.clientSecret,
    });
    start = `${hzn.url}/auth/sign-in/github/start`;
  }, 120_000);

  afterAll(async () => {
    await hzn?.stop();
    await gh?.close();
  });

  it('offers GitHub alone when no OpenID Provider is configured', async () => {
    expect(await (await fetch(`${hzn.url}/api/sign-in-methods`)).json()).toEqual([
      { method: 'github', label: 'GitHub' },
    ]);
  });

  it('signs in the GitHub account once an admin has granted its person a role', async () => {
    const first = await new BrowserJar().follow(start);
    expect(first.last.status).toBe(403);
    expect(await first.last.text()).toContain('Ask a Horizon admin to grant &quot;octo-ada&quot; a role');

    const [ada] = await hzn.query<{ id: string }>(
      `select id from console."ConsolePerson" where name = 'octo-ada'`,
    );
    const admin = await hzn.signIn('root');
    const granted = await hzn.request(`/api/admin/people/${ada!.id}/grants`, {
      method: 'POST',
      browser: admin,
      body: { repo: 'acme/widgets', role: 'member' },
    });
    expect(granted.status).toBe(204);

    const jar = new BrowserJar();
    const { hops, last } = await jar.follow(start);
    expect(hops.map((h) => new URL(h).pathname)).toEqual([
      '/auth/sign-in/github/start',
      '/login/oauth/authorize',
      '/auth/sign-in/github/callback',
      '/',
    ]);
    expect(last.status).toBe(200);
    const session = await fetch(`${hzn.url}/api/session`, {
      headers: { cookie: `hzn_session=${jar.cookie(hzn.url, 'hzn_session')}` },
    });
    expect(await session.json()).toMatchObject({
      person: { id: ada!.id, name: 'octo-ada' },
      grants: [{ repo: 'acme/widgets', role: 'member' }],
    });
    const audit = await hzn.query<{ detail: unknown }>(
      `select detail from console."ConsoleAudit" where action = 'auth.signed_in' and actor = 'octo-ada'`,
    );
    expect(audit).toEqual([{ detail: { method: 'github' } }]);
  });

  it('says GitHub refused when the code is not one GitHub issued', async () => {
    const jar = new BrowserJar();
    const { next, last } = await jar.follow(start, (url) => url.pathname === '/auth/sign-in/github/callback');
    if (!next) throw new Error(`the chain stopped at ${last.status}: ${await last.text()}`);
    const callback = new URL(next);
    callback.searchParams.set('code', 'not-a-code-github-issued');
    const res = await jar.fetch(callback.toString());
    expect(res.status).toBe(401);
    const page = await res.text();
    expect(page).toContain('GitHub refused the sign-in: The code passed is incorrect or expired.');
    expect(page).toContain('bad_verification_code');
  });
});
