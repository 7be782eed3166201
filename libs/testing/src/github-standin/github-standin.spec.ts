import { createSign } from 'node:crypto';
import { startGitHubStandIn, GitHubStandIn } from './index';

/** Raw HTTP on purpose: these are requests a well-behaved client would never send. */
describe('GitHub stand-in refuses what GitHub would', () => {
  let gh: GitHubStandIn;
  let token: string;

  function appJwt(claims: Record<string, unknown>, key = gh.app.privateKey): string {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}`;
    return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(key).toString('base64url')}`;
  }
  const now = () => Math.floor(Date.now() / 1000);
  const call = (method: string, path: string, auth?: string, body?: unknown) =>
    fetch(`${gh.url}${path}`, {
      method,
      headers: { ...(auth ? { authorization: auth } : {}), 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).then(async (r) => ({
      status: r.status,
      body: (await r.json().catch(() => null)) as Record<string, unknown>,
    }));

  beforeAll(async () => {
    gh = await startGitHubStandIn();
    gh.seedRepo({ owner: 'acme', name: 'widgets' });
    const installation = gh.seedInstallation({
      account: 'acme',
      repositories: ['widgets'],
      permissions: { pull_requests: 'write' },
    });
    const minted = await call(
      'POST',
      `/app/installations/${installation.id}/access_tokens`,
      `Bearer ${appJwt({ iss: gh.app.id, iat: now() - 30, exp: now() + 540 })}`,
      {
        repositories: ['widgets'],
      },
    );
    expect(minted.status).toBe(201);
    token = minted.body.token as string;
  });
  afterAll(() => gh.close());

  it("validates request bodies against the OpenAPI schema, answering 422 in GitHub's shape", async () => {
    const res = await call('POST', '/repos/acme/widgets/pulls', `token ${token}`, { title: 5, base: 'main' });
    expect(res.status).toBe(422);
    expect(res.body.status).toBe('422');
    expect(res.body.documentation_url).toBe('https://docs.github.com/rest/pulls/pulls#create-a-pull-request');
    expect(res.body.message).toContain('"head" wasn\'t supplied.');
    expect(res.body.message).toContain("For 'properties/title', 5 is not a string.");
  });

  it('answers 404 for routes GitHub does not have, and for a path parameter of the wrong type', async () => {
    expect((await call('GET', '/repos/acme/widgets/pullz', `token ${token}`)).status).toBe(404);
    expect((await call('GET', '/repos/acme/widgets/pulls/abc', `token ${token}`)).status).toBe(404);
  });

  it('answers 401 Bad credentials for an unknown token', async () => {
    const res = await call('GET', '/repos/acme/widgets/pulls/1', 'token ghs_nope');
    expect(res).toMatchObject({ status: 401, body: { message: 'Bad credentials' } });
  });

  it("issues installation tokens only for a JWT signed with the app key, with GitHub's time rules", async () => {
    const path = `/app/installations/${[...gh.model.installations.keys()][0]}/access_tokens`;
    const { generateKeyPairSync } = await import('node:crypto');
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString();
    const cases: [Record<string, unknown>, string | undefined, string][] = [
      [
        { iss: gh.app.id, iat: now() - 30, exp: now() + 540 },
        stranger,
        'A JSON web token could not be decoded',
      ],
      [
        { iss: gh.app.id, iat: now() - 30, exp: now() + 1200 },
        undefined,
        "'Expiration time' claim ('exp') is too far in the future",
      ],
      [
        { iss: gh.app.id, iat: now() - 700, exp: now() - 100 },
        undefined,
        "'Expiration time' claim ('exp') must be a numeric value",
      ],
      [
        { iss: gh.app.id, iat: now() + 300, exp: now() + 600 },
        undefined,
        "'Issued at' claim ('iat') must be an Integer",
      ],
      [{ iss: 999, iat: now() - 30, exp: now() + 540 }, undefined, 'Integration not found'],
    ];
    for (const [claims, key, message] of cases) {
      const res = await call('POST', path, `Bearer ${appJwt(claims, key)}`, {});
      expect(res.status).toBe(401);
      expect(res.body.message).toContain(message);
    }
    expect((await call('POST', path, `token ${token}`, {})).status).toBe(401);
  });

  it('refuses a token for permissions the installation was not granted', async () => {
    const path = `/app/installations/${[...gh.model.installations.keys()][0]}/access_tokens`;
    const res = await call(
      'POST',
      path,
      `Bearer ${appJwt({ iss: gh.app.id, iat: now() - 30, exp: now() + 540 })}`,
      {
        permissions: { checks: 'write' },
      },
    );
    expect(res).toMatchObject({
      status: 422,
      body: { message: 'The permissions requested are not granted to this installation.' },
    });
  });

  it('runs the OAuth web flow only for a signed-in user and a correct client secret', async () => {
    gh.seedUser('octo', 'Octo Cat');
    const authorize = `${gh.url}/login/oauth/authorize?client_id=${gh.app.clientId}&state=s1&redirect_uri=${encodeURIComponent('http://127.0.0.1:1/cb')}`;
    expect((await fetch(authorize, { redirect: 'manual' })).status).toBe(401);
    gh.signInAs('octo');
    const redirect = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!);
    expect(redirect.searchParams.get('state')).toBe('s1');
    const code = redirect.searchParams.get('code')!;
    const wrong = await call('POST', '/login/oauth/access_token', undefined, {
      client_id: gh.app.clientId,
      client_secret: 'x',
      code,
    });
    expect(wrong.body.error).toBe('incorrect_client_credentials');
    const ok = await call('POST', '/login/oauth/access_token', undefined, {
      client_id: gh.app.clientId,
      client_secret: gh.app.clientSecret,
      code,
    });
    expect(ok.body.access_token).toMatch(/^ghu_/);
    const again = await call('POST', '/login/oauth/access_token', undefined, {
      client_id: gh.app.clientId,
      client_secret: gh.app.clientSecret,
      code,
    });
    expect(again.body.error).toBe('bad_verification_code');
    expect((await call('GET', '/user', `token ${ok.body.access_token}`)).body.login).toBe('octo');
  });
});
