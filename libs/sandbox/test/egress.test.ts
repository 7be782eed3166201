import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { join } from 'node:path';
import {
  EgressProxy,
  LocalSandboxDriver,
  SnapshotStore,
  checkoutRunBranch,
  defaultFlavourPolicies,
  type FlavourPolicy,
  type SandboxHandle,
  type Snapshot,
} from '../src';
import {
  startGitServer,
  startNamedServer,
  type RunningServer,
  git,
  makeRepo,
  readLines,
  sandboxUid,
  sh,
  smallResources,
  tempDir,
} from '@horizon/testing';

const token = 'ghs_SECRETgitTOKEN0123456789';
const apiKey = 'sk-SECRETmodelKEY9876543210';
const run = { repo: { owner: 'acme', name: 'app' }, branch: 'horizon/run-1' };
const remoteInside = 'http://127.0.0.1:3128/_horizon/git/acme/app.git';
const gitEnv = {
  GIT_AUTHOR_NAME: 'agent',
  GIT_AUTHOR_EMAIL: 'agent@horizon',
  GIT_COMMITTER_NAME: 'agent',
  GIT_COMMITTER_EMAIL: 'agent@horizon',
};

describe('egress through the proxy (real bwrap, git http-backend, HTTP on loopback)', () => {
  const dirs = {
    state: tempDir('egress-state'),
    forge: tempDir('egress-forge'),
    work: tempDir('egress-work'),
    artifacts: tempDir('egress-artifacts'),
  };
  let driver: LocalSandboxDriver;
  let forge: RunningServer;
  let allowedHost: RunningServer;
  let blockedHost: RunningServer;
  let model: RunningServer;
  let mcp: RunningServer;
  let snapshot: Snapshot;
  let commits: string[];
  const handles: SandboxHandle[] = [];

  const policyFor = (flavour: 'plan' | 'implement'): FlavourPolicy => ({
    ...defaultFlavourPolicies[flavour],
    allow: [{ host: 'localhost', ports: [allowedHost.port] }],
  });

  async function boot(flavour: 'plan' | 'implement'): Promise<{ handle: SandboxHandle; logFile: string }> {
    const id = `egress-${randomUUID()}`;
    const logFile = join(dirs.artifacts.path, `${id}.jsonl`);
    const handle = await driver.create({
      id,
      flavour,
      snapshotDir: snapshot.dir,
      resources: smallResources,
      env: gitEnv,
      egress: {
        policy: policyFor(flavour),
        run,
        credentials: {
          git: { upstream: forge.url, token },
          model: { baseUrl: `${model.url}/v1`, apiKey },
          mcp: { url: `${mcp.url}/mcp` },
        },
        logFile,
      },
    });
    handles.push(handle);
    return { handle, logFile };
  }

  beforeAll(async () => {
    const origin = join(dirs.work.path, 'origin');
    commits = makeRepo(origin, [{ 'README.md': 'v0\n' }, { 'README.md': 'v1\n' }]);
    for (const name of ['app', 'other']) {
      git(dirs.work.path, 'clone', '--quiet', '--bare', origin, join(dirs.forge.path, 'acme', `${name}.git`));
    }
    forge = await startGitServer(dirs.forge.path, token);
    allowedHost = await startNamedServer('allowed');
    blockedHost = await startNamedServer('blocked');
    model = await startNamedServer('model');
    mcp = await startNamedServer('mcp');
    driver = await LocalSandboxDriver.open({ stateDir: dirs.state.path });
    const store = new SnapshotStore({
      rootDir: join(dirs.state.path, 'snapshots'),
      driver,
      sandboxUid,
      sandboxGid: sandboxUid,
      setupResources: smallResources,
      setupEgress: () => null,
    });
    // The snapshot is one commit behind the forge: booting must fetch through the proxy.
    snapshot = await store.build({
      repo: 'acme/app',
      source: join(dirs.forge.path, 'acme/app.git'),
      commit: commits[0]!,
      flavour: 'implement',
      remoteInside,
    });
  });

  afterAll(async () => {
    for (const handle of handles) await driver.destroy(handle);
    for (const server of [forge, allowedHost, blockedHost, model, mcp]) await server.close();
    for (const dir of Object.values(dirs)) dir.remove();
  });

  it('lets allowlisted hosts through (plain HTTP and CONNECT) and refuses the rest', async () => {
    const { handle, logFile } = await boot('implement');
    const curl = (flags: string, port: number) =>
      sh(
        driver,
        handle,
        `curl -sS -m 5 --noproxy '' ${flags} http://localhost:${port}/path; echo " exit=$?"`,
      );

    expect((await curl('', allowedHost.port)).stdout).toBe('allowed GET /path\n exit=0\n');
    expect((await curl('--proxytunnel', allowedHost.port)).stdout).toBe('allowed GET /path\n exit=0\n');
    expect((await curl('', blockedHost.port)).stdout).toMatch(/not on the implement allowlist/);
    expect((await curl('--proxytunnel', blockedHost.port)).stdout).toMatch(/exit=56/);
    expect(blockedHost.authorizations).toHaveLength(0);

    await driver.destroy(handle);
    const log = readLines(logFile);
    expect(log).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'http',
          method: 'GET',
          host: `localhost:${allowedHost.port}`,
          path: '/path',
          status: 200,
        }),
        expect.objectContaining({ kind: 'connect', host: `localhost:${allowedHost.port}`, status: 200 }),
        expect.objectContaining({ kind: 'http', host: `localhost:${blockedHost.port}`, status: 403 }),
        expect.objectContaining({ kind: 'connect', host: `localhost:${blockedHost.port}`, status: 403 }),
      ]),
    );
    expect(log.find((entry) => entry.kind === 'connect' && entry.status === 200)!.bytesIn).toBeGreaterThan(0);
  });

  it('fetches the run base, pushes only the run branch of the run repository, with an injected token', async () => {
    const { handle, logFile } = await boot('implement');
    await checkoutRunBranch(driver, handle, {
      snapshotCommit: commits[0]!,
      baseRef: 'main',
      branch: run.branch,
    });
    expect((await sh(driver, handle, 'git rev-parse HEAD; git branch --show-current')).stdout).toBe(
      `${commits[1]}\n${run.branch}\n`,
    );

    const own = await sh(
      driver,
      handle,
      'echo change > change.txt && git add . && git commit -qm change && git push -q origin HEAD:refs/heads/horizon/run-1',
    );
    expect(own.code).toBe(0);
    const pushed = git(dirs.forge.path, '--git-dir=acme/app.git', 'rev-parse', 'refs/heads/horizon/run-1');
    expect(pushed).toBe((await sh(driver, handle, 'git rev-parse HEAD')).stdout.trim());

    const toMain = await sh(driver, handle, 'git push origin HEAD:main');
    expect(toMain.code).not.toBe(0);
    const both = await sh(
      driver,
      handle,
      'git commit -q --allow-empty -m more && git push origin HEAD:horizon/run-1 HEAD:main',
    );
    expect(both.code).not.toBe(0);
    const otherRepo = await sh(
      driver,
      handle,
      'git push http://127.0.0.1:3128/_horizon/git/acme/other.git HEAD:refs/heads/horizon/run-1',
    );
    expect(otherRepo.code).not.toBe(0);

    expect(git(dirs.forge.path, '--git-dir=acme/app.git', 'rev-parse', 'main')).toBe(commits[1]);
    expect(git(dirs.forge.path, '--git-dir=acme/app.git', 'rev-parse', 'refs/heads/horizon/run-1')).toBe(
      pushed,
    );
    expect(git(dirs.forge.path, '--git-dir=acme/other.git', 'branch', '--list', 'horizon/*')).toBe('');
    const basic = `Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
    expect(forge.authorizations.length).toBeGreaterThan(0);
    expect(forge.authorizations.every((value) => value === basic)).toBe(true);

    await driver.destroy(handle);
    const refusals = readLines(logFile)
      .filter((entry) => entry.kind === 'git' && entry.status === 403)
      .map((entry) => entry.refused);
    expect(refusals).toEqual([
      'push to refs/heads/main refused: only refs/heads/horizon/run-1 is allowed',
      'push to refs/heads/main refused: only refs/heads/horizon/run-1 is allowed',
      "repository acme/other is not this run's (acme/app)",
    ]);
  });

  it('plan sandboxes fetch but never push', async () => {
    const { handle } = await boot('plan');
    expect(
      (await sh(driver, handle, 'git fetch -q origin main && git rev-parse FETCH_HEAD')).stdout.trim(),
    ).toBe(commits[1]);
    const push = await sh(driver, handle, 'git push origin HEAD:refs/heads/horizon/run-1');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/403/);
  });

  it("forwards the mcp route to mcp-context with the agent's own bearer token, unchanged", async () => {
    const { handle, logFile } = await boot('plan');
    const reply = await sh(
      driver,
      handle,
      `curl -sS -X POST -H 'Authorization: Bearer run-token-1' -d '{}' ${handle.proxyUrl}/_horizon/mcp; ` +
        `curl -sS ${handle.proxyUrl}/_horizon/mcp/.well-known/x?page=2; ` +
        `curl -sS ${handle.proxyUrl}/_horizon/mcpx`,
    );
    expect(reply.stdout).toBe(
      'mcp POST /mcp\nmcp GET /mcp/.well-known/x?page=2\nhorizon egress: no such route\n',
    );
    expect(mcp.authorizations.slice(-2)).toEqual(['Bearer run-token-1', '']);
    await driver.destroy(handle);
    expect(readLines(logFile)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'mcp', method: 'POST', host: `127.0.0.1:${mcp.port}`, status: 200 }),
      ]),
    );
  });

  it('adds the model key on the model route and no credential is visible inside', async () => {
    const { handle } = await boot('implement');
    const reply = await sh(
      driver,
      handle,
      `curl -sS -X POST -H 'Authorization: Bearer guessed' -d '{}' ${handle.proxyUrl}/_horizon/model/chat/completions`,
    );
    expect(reply.stdout).toBe('model POST /v1/chat/completions\n');
    expect(model.authorizations.at(-1)).toBe(`Bearer ${apiKey}`);

    // After a fetch, so the proxy has used the token; the patterns are split so that this
    // script's own command line does not contain what it searches for. /usr and /opt hold
    // read-only host binaries (node's contains the word SECRET).
    const search = await sh(
      driver,
      handle,
      `git fetch -q origin main
       echo "files with it: $(grep -rsl -e "SEC""RET" -e "eC1hY2Nlc3Mt""dG9rZW46" / --exclude-dir=proc --exclude-dir=sys --exclude-dir=dev --exclude-dir=usr --exclude-dir=opt)"
       env; cat /proc/*/environ /proc/*/cmdline 2>/dev/null | tr '\\0' '\\n'`,
    );
    expect(search.code).toBe(0);
    expect(search.stdout).toMatch(/^files with it: \n/);
    expect(search.stdout).toMatch(/HTTPS_PROXY=http:\/\/127\.0\.0\.1:3128/);
    expect(search.stdout).not.toContain(process.cwd());
    expect(search.stdout).not.toContain('SECRET');
    // base64 of "x-access-token:", the start of the Basic credential the proxy adds.
    expect(search.stdout).not.toContain('eC1hY2Nlc3MtdG9rZW46');
  });

  it('stops a run at its request limit', async () => {
    const socketPath = join(dirs.artifacts.path, 'limit.sock');
    const proxy = new EgressProxy({
      socketPath,
      policy: { ...policyFor('implement'), limits: { maxRequests: 2, maxBytes: 1024 ** 2 } },
      run,
      credentials: {},
      logFile: join(dirs.artifacts.path, 'limit.jsonl'),
      insidePort: 3128,
    });
    await proxy.start();
    const get = () =>
      new Promise<number>((resolve, reject) =>
        http
          .get({ socketPath, path: `http://localhost:${allowedHost.port}/`, agent: false }, (res) =>
            resolve(res.resume().statusCode!),
          )
          .on('error', reject),
      );
    expect([await get(), await get(), await get()]).toEqual([200, 200, 429]);
    expect(proxy.stats()).toMatchObject({ requests: 3, refused: 1 });
    await proxy.stop();
  });
});
