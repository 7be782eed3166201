import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyedLock } from '../application/keyed-lock';
import type { RepositoryRemote, SetupInputReader } from '../application/ports';
import type { SetupInputBlobs } from '../domain/setup-inputs';
import { hostGit } from './git-remote';

/** Where the remote's HEAD is kept in a cache, apart from the branches a fetch could bring. */
const headRef = 'refs/horizon/head';

/**
 * Reads setup inputs with the host's git: a snapshot's from its own checkout, HEAD's from a
 * small bare cache per repository that holds only the remote's latest HEAD, fetched shallowly
 * for each look (a full clone each time would cost much of what the rebuild it may spare costs).
 */
export class GitSetupInputs implements SetupInputReader {
  // A timer's refresh and a command's may look at one repository at once: one fetch at a time.
  private readonly lock = new KeyedLock();

  constructor(
    private readonly remote: RepositoryRemote,
    /** Root-owned folder of the bare caches (`<owner>__<name>.git`). */
    private readonly cacheDir: string,
  ) {}

  async atSnapshot(
    snapshot: { dir: string; commit: string },
    paths: readonly string[],
  ): Promise<SetupInputBlobs> {
    // The checkout belongs to the sandbox uid (its top to root): git refuses to read a repository
    // another user owns unless told it is safe. Reading changes nothing in it.
    const listing = await hostGit(
      ['-c', 'safe.directory=*', '-C', snapshot.dir, 'ls-tree', '-z', snapshot.commit, '--', ...paths],
      `reading the setup inputs of snapshot ${snapshot.dir}`,
    );
    return parseLsTree(listing);
  }

  async atRemoteHead(
    repo: string,
    paths: readonly string[],
  ): Promise<{ commit: string; blobs: SetupInputBlobs }> {
    return this.lock.run(repo, async () => {
      const cache = await this.cacheFor(repo);
      // The source may carry the forge token: it is only ever an argument, never kept in the
      // cache's config, and hostGit redacts it from failures.
      await hostGit(
        [
          '-C',
          cache,
          'fetch',
          '--quiet',
          '--no-write-fetch-head',
          '--no-tags',
          '--depth',
          '1',
          this.remote.sourceFor(repo),
          `+HEAD:${headRef}`,
        ],
        `fetching the HEAD of ${repo}`,
        { timeoutMs: 300_000 },
      );
      const commit = (
        await hostGit(['-C', cache, 'rev-parse', `${headRef}^{commit}`], `reading ${repo}'s HEAD`)
      ).trim();
      const listing = await hostGit(
        ['-C', cache, 'ls-tree', '-z', commit, '--', ...paths],
        `reading the setup inputs of ${repo}@${commit.slice(0, 12)}`,
      );
      return { commit, blobs: parseLsTree(listing) };
    });
  }

  private async cacheFor(repo: string): Promise<string> {
    // One path segment whatever the name holds, so no repository name can reach out of the folder.
    const cache = join(this.cacheDir, `${repo.replace(/[^A-Za-z0-9_.-]/g, '__')}.git`);
    const exists = await access(join(cache, 'HEAD')).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await mkdir(this.cacheDir, { recursive: true, mode: 0o700 });
      await hostGit(['init', '--quiet', '--bare', cache], `creating the HEAD cache of ${repo}`);
    }
    return cache;
  }
}

/** `git ls-tree -z` lines (`<mode> <type> <object>\t<path>\0`) → object id by path. */
function parseLsTree(listing: string): SetupInputBlobs {
  const blobs: Record<string, string> = {};
  for (const entry of listing.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [, , object] = entry.slice(0, tab).split(' ');
    if (object) blobs[entry.slice(tab + 1)] = object;
  }
  return blobs;
}
