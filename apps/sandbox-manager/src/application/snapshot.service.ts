import type {
  DataOf,
  SandboxFlavour,
  SnapshotRefreshCondition,
  sandboxSnapshotBuilt,
} from '@horizon/contracts';
import type { Snapshot, SnapshotStore } from '@horizon/sandbox';
import { SETUP_INPUT_PATHS, changedSetupInputs } from '../domain/setup-inputs';
import { redact } from '../host/git-remote';
import { KeyedLock } from './keyed-lock';
import type { RepositoryRemote, SetupInputReader, SnapshotRefresh, SnapshotRefresher } from './ports';

export interface SnapshotServiceOptions {
  /** Snapshots kept per repository and flavour after a rebuild. */
  keep: number;
  /** `origin` as seen inside a sandbox: the egress proxy's git route for the repository. */
  remoteInside: (repo: string) => string;
  /** What a `setup_changed` refresh compares. */
  setupInputs: SetupInputReader;
}

export interface RefreshResult extends SnapshotRefresh {
  built: Snapshot | null;
}

/**
 * Which snapshot a run boots from, and keeping them current: one is built on first use, and a
 * refresh rebuilds a series whose commit is no longer the remote's default-branch HEAD (after a
 * merge, only when what setup depends on changed). Builds of one series never overlap.
 */
export class SnapshotService implements SnapshotRefresher {
  private readonly lock = new KeyedLock();
  private readonly builtOnDemand: ((built: RefreshResult) => void)[] = [];

  constructor(
    private readonly store: SnapshotStore,
    private readonly remote: RepositoryRemote,
    private readonly options: SnapshotServiceOptions,
  ) {}

  /**
   * `listener` hears of every snapshot built at HEAD on first use (`newest`), which no refresh
   * result reports, so that it is announced like a refreshed one. One built `at` another commit
   * (a branch's) is not: what it declares is not what the default branch declares.
   */
  onBuiltOnDemand(listener: (built: RefreshResult) => void): void {
    this.builtOnDemand.push(listener);
  }

  /** The newest snapshot, built at the remote's HEAD if the series is empty. */
  async newest(repo: string, flavour: SandboxFlavour): Promise<Snapshot> {
    return this.lock.run(`${repo}:${flavour}`, async () => {
      const newest = await this.store.newest(repo, flavour);
      return newest ?? this.buildOnDemand(repo, flavour, await this.head(repo));
    });
  }

  /** A snapshot at exactly `commit` (for sandboxes with no egress, which cannot fetch). */
  async at(repo: string, flavour: SandboxFlavour, commit: string): Promise<Snapshot> {
    return this.lock.run(`${repo}:${flavour}`, async () => {
      const newest = await this.store.newest(repo, flavour);
      return newest?.commit === commit ? newest : this.build(repo, flavour, commit);
    });
  }

  private async buildOnDemand(repo: string, flavour: SandboxFlavour, commit: string): Promise<Snapshot> {
    const built = await this.build(repo, flavour, commit);
    for (const listener of this.builtOnDemand) listener({ repo, flavour, built, removed: [] });
    return built;
  }

  async refresh(
    repo: string,
    flavour: SandboxFlavour,
    when?: SnapshotRefreshCondition,
  ): Promise<RefreshResult> {
    return this.lock.run(`${repo}:${flavour}`, async () => {
      const newest = await this.store.newest(repo, flavour);
      if (when === 'setup_changed') return this.refreshIfSetupChanged(repo, flavour, newest);
      const head = await this.head(repo);
      const built = newest?.commit === head ? null : await this.build(repo, flavour, head);
      const removed = await this.store.gc(repo, flavour, this.options.keep);
      return { repo, flavour, built, removed };
    });
  }

  /**
   * A run fetches its base over the snapshot it boots from, so a merge that changed only text
   * (AGENTS.md, sources) is in its checkout without a rebuild; one that changed a setup input is
   * rebuilt at HEAD now rather than at the next timed refresh. A series this host does not hold
   * is left alone: no run booted from it here, so building it would serve nobody. Runs under the
   * series' lock.
   */
  private async refreshIfSetupChanged(
    repo: string,
    flavour: SandboxFlavour,
    newest: Snapshot | null,
  ): Promise<RefreshResult> {
    const kept = (reason: string): RefreshResult => ({ repo, flavour, built: null, removed: [], reason });
    if (!newest) return kept('no series on this host');
    const { setupInputs } = this.options;
    const head = await setupInputs.atRemoteHead(repo, SETUP_INPUT_PATHS);
    if (head.commit === newest.commit) return kept('current');
    const changed = changedSetupInputs(await setupInputs.atSnapshot(newest, SETUP_INPUT_PATHS), head.blobs);
    const span = `${newest.commit.slice(0, 12)}..${head.commit.slice(0, 12)}`;
    if (changed.length === 0) return kept(`text-only change: no setup input changed in ${span}`);
    const built = await this.build(repo, flavour, head.commit);
    const removed = await this.store.gc(repo, flavour, this.options.keep);
    return {
      repo,
      flavour,
      built,
      removed,
      reason: `setup inputs changed in ${span}: ${changed.join(', ')}`,
    };
  }

  /** Refreshes every series the store holds; one failing repository does not stop the others. */
  async refreshAll(
    onError: (series: { repo: string; flavour: SandboxFlavour }, error: Error) => void,
  ): Promise<RefreshResult[]> {
    const results: RefreshResult[] = [];
    for (const series of await this.store.series()) {
      try {
        results.push(await this.refresh(series.repo, series.flavour));
      } catch (error) {
        onError(series, error as Error);
      }
    }
    return results;
  }

  private async head(repo: string): Promise<string> {
    const head = await this.remote.resolve(repo, 'HEAD');
    if (!head) throw new Error(`${repo} has no HEAD commit on its remote`);
    return head;
  }

  private async build(repo: string, flavour: SandboxFlavour, commit: string): Promise<Snapshot> {
    try {
      return await this.store.build({
        repo,
        source: this.remote.sourceFor(repo),
        commit,
        flavour,
        remoteInside: this.options.remoteInside(repo),
      });
    } catch (error) {
      throw new Error(
        `snapshot of ${repo}@${commit.slice(0, 12)} (${flavour}) failed: ${redact((error as Error).message)}`,
      );
    }
  }
}

/** What `snapshot_built` says of a snapshot that was built: its commit, and what its config declares. */
export function snapshotBuiltData(refresh: SnapshotRefresh): DataOf<typeof sandboxSnapshotBuilt> {
  const { repo, flavour, built, removed } = refresh;
  if (!built) throw new Error(`no snapshot of ${repo} (${flavour}) was built`);
  const { schedules, review, budgets, agent, retro } = built.config;
  return {
    repo,
    flavour,
    commit: built.commit,
    snapshotId: built.id,
    removed,
    schedules,
    review,
    budgets,
    agent,
    retro,
  };
}
