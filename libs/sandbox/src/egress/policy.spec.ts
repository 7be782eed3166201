import {
  decideConnect,
  decideGit,
  decideHttp,
  decideMcp,
  decideModel,
  decideRefUpdates,
  defaultFlavourPolicies,
  parseHostEntry,
  withRepoExtras,
  type FlavourPolicy,
} from './policy';

const run = { repo: { owner: 'acme', name: 'app' }, branch: 'horizon/run-1' };
const { plan, implement, verify } = defaultFlavourPolicies;

describe('flavour policies', () => {
  it('allows CONNECT only to allowlisted host:port pairs, wildcards covering subdomains only', () => {
    const policy: FlavourPolicy = {
      ...implement,
      allow: [
        { host: '*.example.com', ports: [443] },
        { host: 'api.test', ports: [8443] },
      ],
    };
    expect(decideConnect(policy, 'cdn.example.com', 443)).toEqual({ allowed: true });
    expect(decideConnect(policy, 'CDN.Example.com', 443)).toEqual({ allowed: true });
    expect(decideConnect(policy, 'example.com', 443).allowed).toBe(false);
    expect(decideConnect(policy, 'evil-example.com', 443).allowed).toBe(false);
    expect(decideConnect(policy, 'cdn.example.com', 80).allowed).toBe(false);
    expect(decideConnect(policy, 'api.test', 8443)).toEqual({ allowed: true });
    expect(decideConnect(implement, 'registry.npmjs.org', 443)).toEqual({ allowed: true });
  });

  it('checks methods and path prefixes for plain HTTP', () => {
    const policy: FlavourPolicy = {
      ...plan,
      allow: [{ host: 'docs.test', ports: [80], methods: ['GET'], pathPrefixes: ['/api/'] }],
    };
    expect(decideHttp(policy, { method: 'get', host: 'docs.test', port: 80, path: '/api/x' })).toEqual({
      allowed: true,
    });
    expect(decideHttp(policy, { method: 'POST', host: 'docs.test', port: 80, path: '/api/x' })).toMatchObject(
      { allowed: false },
    );
    expect(decideHttp(policy, { method: 'GET', host: 'docs.test', port: 80, path: '/admin' })).toMatchObject({
      allowed: false,
    });
  });

  it('verify has no egress whatever the repository asks for', () => {
    // A proxy (for the preview route it may be given) with nothing allowed.
    expect(verify).toMatchObject({ network: 'proxy', allow: [], repoExtras: false });
    expect(withRepoExtras(verify, ['registry.example.com'])).toBe(verify);
    expect(decideConnect(verify, 'registry.npmjs.org', 443).allowed).toBe(false);
    expect(decideModel(verify).allowed).toBe(false);
    expect(decideMcp(verify).allowed).toBe(false);
    expect(decideGit(verify, run, { owner: 'acme', repo: 'app', service: 'git-upload-pack' }).allowed).toBe(
      false,
    );
  });

  it('opens the mcp-context route for plan and implement', () => {
    expect(decideMcp(plan)).toEqual({ allowed: true });
    expect(decideMcp(implement)).toEqual({ allowed: true });
    expect(decideMcp({ ...implement, mcp: false })).toMatchObject({ allowed: false });
  });

  it('adds repository hosts, bare hosts on 80 and 443', () => {
    const widened = withRepoExtras(plan, ['registry.example.com', 'mirror.test:8080']);
    expect(decideConnect(widened, 'registry.example.com', 443)).toEqual({ allowed: true });
    expect(decideConnect(widened, 'mirror.test', 8080)).toEqual({ allowed: true });
    expect(decideConnect(widened, 'mirror.test', 443).allowed).toBe(false);
    expect(decideConnect(plan, 'registry.example.com', 443).allowed).toBe(false);
    expect(() => parseHostEntry('http://x.test/')).toThrow(/invalid egress host entry/);
  });

  it('scopes git to the run repository; only implement pushes, and only its branch', () => {
    expect(decideGit(plan, run, { owner: 'acme', repo: 'app', service: 'git-upload-pack' })).toEqual({
      allowed: true,
    });
    expect(decideGit(plan, run, { owner: 'acme', repo: 'app', service: 'git-receive-pack' })).toEqual({
      allowed: false,
      reason: 'pushing is not allowed for plan',
    });
    expect(decideGit(implement, run, { owner: 'acme', repo: 'app', service: 'git-receive-pack' })).toEqual({
      allowed: true,
    });
    expect(
      decideGit(implement, run, { owner: 'acme', repo: 'other', service: 'git-upload-pack' }).allowed,
    ).toBe(false);
    expect(decideRefUpdates(run, ['refs/heads/horizon/run-1'])).toEqual({ allowed: true });
    expect(decideRefUpdates(run, ['refs/heads/horizon/run-1', 'refs/tags/v1']).allowed).toBe(false);
    expect(decideRefUpdates(run, []).allowed).toBe(false);
  });
});
