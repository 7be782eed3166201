import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { LocalSandboxDriver, SnapshotStore, checkoutRunBranch } from '../src';
import { makeRepo, sandboxUid, sh, smallResources, tempDir } from '@horizon/testing';

describe('SnapshotStore (real git, setup inside a real sandbox)', () => {
  const state = tempDir('snapshot-state');
  const origin = tempDir('snapshot-origin');
  let driver: LocalSandboxDriver;
  let store: SnapshotStore;
  let commits: string[];

  beforeAll(async () => {
    commits = makeRepo(origin.path, [
      {
        'README.md': 'v0\n',
        '.gitignore': 'built.txt\nnode_modules/\n',
        '.horizon/config.yaml':
          'setup:\n  - echo "built by $(id -u)" > built.txt\n  - mkdir -p node_modules/dep && echo dep > node_modules/dep/index.js\nverify:\n  - test -f built.txt\negress:\n  allow: [registry.example.com]\n',
      },
      { 'README.md': 'v1\n' },
    ]);
    driver = await LocalSandboxDriver.open({ stateDir: state.path });
    store = new SnapshotStore({
      rootDir: join(state.path, 'snapshots'),
      driver,
      sandboxUid,
      sandboxGid: sandboxUid,
      setupResources: smallResources,
      setupEgress: () => null,
    });
  });

  afterAll(() => {
    state.remove();
    origin.remove();
  });

  it('clones, runs setup in a sandbox, and keeps a read-only lower layer', async () => {
    const snapshot = await store.build({
      repo: 'acme/app',
      source: origin.path,
      commit: commits[0]!,
      flavour: 'implement',
      remoteInside: 'http://127.0.0.1:3128/_horizon/git/acme/app.git',
    });
    expect(snapshot.config).toEqual({
      setup: expect.any(Array),
      verify: ['test -f built.txt'],
      egress: { allow: ['registry.example.com'] },
      // Not declared: the defaults.
      schedules: [],
      review: { enabled: true, humanPullRequests: false, selfRevisions: 1 },
      budgets: {},
      retro: { weekly: true },
      agent: {},
    });
    expect(readFileSync(join(snapshot.dir, 'built.txt'), 'utf8')).toBe('built by 1000\n');
    expect(readFileSync(join(snapshot.dir, 'node_modules/dep/index.js'), 'utf8')).toBe('dep\n');
    expect(statSync(snapshot.dir).uid).toBe(0);
    expect(statSync(snapshot.dir).mode & 0o777).toBe(0o555);
    expect(statSync(join(snapshot.dir, 'README.md')).uid).toBe(sandboxUid);
    expect(await store.newest('acme/app', 'implement')).toEqual(snapshot);
    expect(await store.newest('acme/app', 'plan')).toBeNull();

    // A run boots from it and moves to its branch without any network.
    const handle = await driver.create({
      id: `snap-${randomUUID()}`,
      flavour: 'verify',
      snapshotDir: snapshot.dir,
      resources: smallResources,
      env: {},
      egress: null,
    });
    try {
      await checkoutRunBranch(driver, handle, {
        snapshotCommit: commits[0]!,
        baseRef: commits[0]!,
        branch: 'horizon/run-2',
      });
      const result = await sh(
        driver,
        handle,
        'git branch --show-current; git remote get-url origin; git status --porcelain; cat built.txt',
      );
      expect(result.stdout).toBe(
        'horizon/run-2\nhttp://127.0.0.1:3128/_horizon/git/acme/app.git\nbuilt by 1000\n',
      );
    } finally {
      await driver.destroy(handle);
    }
  });

  it('keeps what setup left untracked out of commits, and out of the way of a checkout that tracks it', async () => {
    const locked = tempDir('snapshot-lockfile');
    try {
      // Setup writes a lockfile the repo does not track yet; a later commit tracks its own.
      const [first, second] = makeRepo(locked.path, [
        { '.horizon/config.yaml': 'setup: ["echo generated > lock.json"]\n' },
        { 'lock.json': 'tracked\n' },
      ]);
      const snapshot = await store.build({
        repo: 'acme/locked',
        source: locked.path,
        commit: first!,
        flavour: 'implement',
        remoteInside: 'x',
      });
      const handle = await driver.create({
        id: `snap-${randomUUID()}`,
        flavour: 'verify',
        snapshotDir: snapshot.dir,
        resources: smallResources,
        env: {},
        egress: null,
      });
      try {
        const result = await sh(
          driver,
          handle,
          `git status --porcelain; cat lock.json; git checkout --quiet ${second} && cat lock.json`,
        );
        expect(result.stdout).toBe('generated\ntracked\n');
      } finally {
        await driver.destroy(handle);
      }
    } finally {
      locked.remove();
    }
  });

  it('fails a build whose setup fails, leaving nothing half-made', async () => {
    const broken = tempDir('snapshot-broken');
    try {
      const [commit] = makeRepo(broken.path, [
        { '.horizon/config.yaml': 'setup: ["echo nope >&2; exit 3"]\n' },
      ]);
      await expect(
        store.build({
          repo: 'acme/broken',
          source: broken.path,
          commit: commit!,
          flavour: 'plan',
          remoteInside: 'x',
        }),
      ).rejects.toThrow(/setup command "echo nope >&2; exit 3" failed \(exit 3\)/);
      expect(await store.newest('acme/broken', 'plan')).toBeNull();
      expect(readdirSync(join(state.path, 'snapshots/.staging'))).toEqual([]);
      expect(
        readdirSync(join(state.path, 'snapshots/acme__broken/plan')).filter(
          (name) => !name.endsWith('.setup.log'),
        ),
      ).toEqual([]);
    } finally {
      broken.remove();
    }
  });

  it('garbage-collects all but the newest N, sparing one still mounted', async () => {
    const built = [];
    for (const commit of [commits[0]!, commits[1]!, commits[1]!]) {
      built.push(
        await store.build({
          repo: 'acme/gc',
          source: origin.path,
          commit,
          flavour: 'plan',
          remoteInside: 'x',
        }),
      );
    }
    const oldest = built[0]!;
    const handle = await driver.create({
      id: `gc-${randomUUID()}`,
      flavour: 'verify',
      snapshotDir: oldest.dir,
      resources: smallResources,
      env: {},
      egress: null,
    });
    try {
      expect(await store.gc('acme/gc', 'plan', 1)).toEqual([built[1]!.id]);
      expect(existsSync(oldest.dir)).toBe(true);
    } finally {
      await driver.destroy(handle);
    }
    expect(await store.gc('acme/gc', 'plan', 1)).toEqual([oldest.id]);
    expect((await store.list('acme/gc', 'plan')).map((s) => s.id)).toEqual([built[2]!.id]);
    expect(existsSync(oldest.dir)).toBe(false);
  });
});
