import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sandboxFlavours, type SandboxFlavour, type SandboxResources } from '@horizon/contracts';
import type { SandboxDriver, SandboxEgressSpec, SandboxHandle } from '../driver';
import { run } from '../host/run';
import { readRepoConfig, type RepoConfig } from './repo-config';

export interface Snapshot {
  id: string;
  repo: string;
  flavour: SandboxFlavour;
  commit: string;
  /** Read-only lower layer for sandboxes of this repository and flavour. */
  dir: string;
  createdAt: string;
  config: RepoConfig;
}

export interface SnapshotStoreOptions {
  rootDir: string;
  /** Runs the setup commands, isolated like any run. */
  driver: SandboxDriver;
  /** Host uid/gid the driver's sandboxes run as: snapshot files belong to them. */
  sandboxUid: number;
  sandboxGid: number;
  setupResources: SandboxResources;
  /** Egress while setup runs: a `plan` policy (package registries), or null for none. */
  setupEgress: (config: RepoConfig) => SandboxEgressSpec | null;
}

export interface BuildSnapshotInput {
  /** `owner/name`. */
  repo: string;
  /** What `git clone` reads: a local path or a URL reachable from the host. */
  source: string;
  commit: string;
  flavour: SandboxFlavour;
  /** `origin` as seen inside a sandbox, normally the egress proxy's git route. */
  remoteInside: string;
}

/**
 * Prebuilt repository snapshots, one series per repository and flavour: clone, check out the
 * commit, run `.horizon/config.yaml`'s setup in a sandbox, keep the result as a read-only
 * lower layer. Booting a run is then an overlay mount, whatever the repository's size.
 */
export class SnapshotStore {
  constructor(private readonly options: SnapshotStoreOptions) {}

  async build(input: BuildSnapshotInput): Promise<Snapshot> {
    const series = this.seriesDir(input.repo, input.flavour);
    const id = `${new Date().toISOString().replace(/[-:.]/g, '')}-${input.commit.slice(0, 12)}`;
    const staging = join(this.options.rootDir, '.staging', randomUUID());
    const dir = join(series, id);
    await mkdir(series, { recursive: true, mode: 0o711 });
    try {
      await run('git', ['clone', '--quiet', '--no-checkout', input.source, staging]);
      await run('git', ['-C', staging, 'checkout', '--quiet', '--detach', input.commit]);
      await run('git', ['-C', staging, 'remote', 'set-url', 'origin', input.remoteInside]);
      const config = await readRepoConfig(staging);
      await run('chown', ['-R', `${this.options.sandboxUid}:${this.options.sandboxGid}`, staging]);
      if (config.setup.length > 0) await this.runSetup(staging, dir, config, join(series, `${id}.setup.log`));
      else await rename(staging, dir);
      // The top is root-owned and unwritable; sandboxes only ever see it through an overlay.
      await run('chown', ['root:root', dir]);
      await chmod(dir, 0o555);
      const snapshot: Snapshot = {
        id,
        repo: input.repo,
        flavour: input.flavour,
        commit: input.commit,
        dir,
        createdAt: new Date().toISOString(),
        config,
      };
      await writeFile(join(series, `${id}.json`), JSON.stringify(snapshot, null, 2));
      return snapshot;
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  async newest(repo: string, flavour: SandboxFlavour): Promise<Snapshot | null> {
    return (await this.list(repo, flavour))[0] ?? null;
  }

  /** Newest first. */
  async list(repo: string, flavour: SandboxFlavour): Promise<Snapshot[]> {
    const series = this.seriesDir(repo, flavour);
    const names = await readdir(series).catch(() => []);
    const snapshots = await Promise.all(
      names
        .filter((name) => name.endsWith('.json'))
        .map(async (name) => JSON.parse(await readFile(join(series, name), 'utf8')) as Snapshot),
    );
    return snapshots.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }

  /** Every repository and flavour that has a snapshot series here (what a refresh walks). */
  async series(): Promise<Array<{ repo: string; flavour: SandboxFlavour }>> {
    const found: Array<{ repo: string; flavour: SandboxFlavour }> = [];
    for (const entry of await readdir(this.options.rootDir).catch(() => [])) {
      const [owner, name] = entry.split('__');
      if (!owner || !name || entry.startsWith('.')) continue;
      for (const flavour of await readdir(join(this.options.rootDir, entry)).catch(() => [])) {
        if (sandboxFlavours.includes(flavour as SandboxFlavour))
          found.push({ repo: `${owner}/${name}`, flavour: flavour as SandboxFlavour });
      }
    }
    return found;
  }

  /** Keeps the newest `keep`, and any still mounted as a workspace's lower layer. Returns the removed ids. */
  async gc(repo: string, flavour: SandboxFlavour, keep: number): Promise<string[]> {
    const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
    const removed: string[] = [];
    for (const snapshot of (await this.list(repo, flavour)).slice(keep)) {
      if (mountinfo.includes(`lowerdir=${snapshot.dir},`)) continue;
      const series = this.seriesDir(repo, flavour);
      await rm(join(series, `${snapshot.id}.json`), { force: true });
      await rm(snapshot.dir, { recursive: true, force: true });
      await rm(join(series, `${snapshot.id}.setup.log`), { force: true });
      removed.push(snapshot.id);
    }
    return removed;
  }

  private seriesDir(repo: string, flavour: SandboxFlavour): string {
    if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo))
      throw new Error(`invalid repository "${repo}" (expected owner/name)`);
    return join(this.options.rootDir, repo.replace('/', '__'), flavour);
  }

  private async runSetup(staging: string, dir: string, config: RepoConfig, logFile: string): Promise<void> {
    const { driver } = this.options;
    const handle = await driver.create({
      id: `setup-${randomUUID()}`,
      // Setup installs dependencies for every flavour: it runs as `plan` (registries, no push).
      flavour: 'plan',
      snapshotDir: staging,
      resources: this.options.setupResources,
      env: {},
      egress: this.options.setupEgress(config),
    });
    const log = createWriteStream(logFile);
    try {
      for (const command of config.setup) {
        log.write(`$ ${command}\n`);
        const process = await driver.exec(handle, ['/bin/sh', '-c', command]);
        process.stdin.end();
        process.stdout.pipe(log, { end: false });
        process.stderr.pipe(log, { end: false });
        const exit = await process.exit;
        if (exit.code !== 0)
          throw new Error(`setup command "${command}" failed (${describeExit(exit)}); see ${logFile}`);
      }
      await excludeSetupOutput(driver, handle);
      await driver.snapshot(handle, dir);
    } finally {
      log.end();
      await driver.destroy(handle);
      await rm(staging, { recursive: true, force: true });
    }
  }
}

/**
 * What setup left untracked (a lockfile `npm install` wrote, build output the repo does not
 * ignore) is listed in `.git/info/exclude`: agents' commits leave it out, and git may overwrite
 * it when a run moves to a commit that tracks the same path, instead of refusing the checkout.
 */
async function excludeSetupOutput(driver: SandboxDriver, handle: SandboxHandle): Promise<void> {
  const script =
    'git ls-files --others --exclude-standard --directory | sed \'s|^|/|\' >> "$(git rev-parse --git-path info/exclude)"';
  const process = await driver.exec(handle, ['/bin/sh', '-c', script]);
  process.stdin.end();
  let output = '';
  process.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = await process.exit;
  if (exit.code !== 0)
    throw new Error(`listing what setup left untracked failed (${describeExit(exit)}): ${output.trim()}`);
}

function describeExit(exit: { code: number | null; signal: string | null; outOfMemory: boolean }): string {
  if (exit.outOfMemory) return 'out of memory';
  return exit.signal ? `signal ${exit.signal}` : `exit ${exit.code}`;
}

/**
 * Moves a freshly booted workspace from its snapshot's commit to the run's base and branch:
 * a fetch through the proxy when the base is newer than the snapshot, then a local checkout.
 */
export async function checkoutRunBranch(
  driver: SandboxDriver,
  handle: SandboxHandle,
  target: { snapshotCommit: string; baseRef: string; branch: string },
): Promise<void> {
  const script = [
    'set -e',
    'if [ "$1" = "$0" ]; then base="$0"; else git fetch --quiet origin "$1"; base=FETCH_HEAD; fi',
    'git checkout --quiet -B "$2" "$base"',
  ].join('\n');
  const process = await driver.exec(handle, [
    '/bin/sh',
    '-c',
    script,
    target.snapshotCommit,
    target.baseRef,
    target.branch,
  ]);
  process.stdin.end();
  let output = '';
  process.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  process.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = await process.exit;
  if (exit.code !== 0)
    throw new Error(
      `moving the workspace to ${target.baseRef} failed (${describeExit(exit)}): ${output.trim()}`,
    );
}
