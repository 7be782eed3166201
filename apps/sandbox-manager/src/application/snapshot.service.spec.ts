import type { Snapshot, SnapshotStore } from '@horizon/sandbox';
import type { SetupInputBlobs } from '../domain/setup-inputs';
import type { RepositoryRemote, SetupInputReader } from './ports';
import { SnapshotService } from './snapshot.service';

const sha = (c: string) => c.repeat(40);
const snapshotAt = (commit: string): Snapshot => ({
  id: `snap-${commit.slice(0, 4)}`,
  repo: 'acme/app',
  flavour: 'implement',
  commit,
  dir: `/snapshots/acme__app/implement/snap-${commit.slice(0, 4)}`,
  createdAt: new Date().toISOString(),
  config: { setup: [], verify: [], egress: { allow: [] } } as unknown as Snapshot['config'],
});

/** The store and git as the decision sees them: a series, and blob ids on either side of the merge. */
function serviceWith(world: {
  newest: Snapshot | null;
  head: string;
  atSnapshot: SetupInputBlobs;
  atHead: SetupInputBlobs;
}) {
  const builds: string[] = [];
  const store = {
    newest: async () => world.newest,
    build: async ({ commit }: { commit: string }) => (builds.push(commit), snapshotAt(commit)),
    gc: async () => (world.newest ? [world.newest.id] : []),
  } as unknown as SnapshotStore;
  const remote: RepositoryRemote = {
    sourceFor: () => '/forge/acme/app.git',
    resolve: async () => world.head,
  };
  const setupInputs: SetupInputReader = {
    atSnapshot: async () => world.atSnapshot,
    atRemoteHead: async () => ({ commit: world.head, blobs: world.atHead }),
  };
  const service = new SnapshotService(store, remote, { keep: 1, remoteInside: () => 'inside', setupInputs });
  return { service, builds };
}

describe('SnapshotService: a setup_changed refresh rebuilds only when setup inputs changed', () => {
  const inputs = { '.horizon/config.yaml': sha('1'), 'package-lock.json': sha('2') };

  it('keeps a series whose merge changed only text, saying so', async () => {
    const { service, builds } = serviceWith({
      newest: snapshotAt(sha('a')),
      head: sha('b'),
      atSnapshot: inputs,
      atHead: { ...inputs },
    });
    const result = await service.refresh('acme/app', 'implement', 'setup_changed');
    expect(builds).toEqual([]);
    expect(result).toMatchObject({
      built: null,
      removed: [],
      reason: expect.stringMatching(/^text-only change/),
    });
  });

  it('rebuilds at the HEAD it read when a setup input changed, and collects the old one', async () => {
    const atHead = { ...inputs, 'package-lock.json': sha('3') };
    const { service, builds } = serviceWith({
      newest: snapshotAt(sha('a')),
      head: sha('b'),
      atSnapshot: inputs,
      atHead,
    });
    const result = await service.refresh('acme/app', 'implement', 'setup_changed');
    expect(builds).toEqual([sha('b')]);
    expect(result).toMatchObject({
      built: { commit: sha('b') },
      removed: ['snap-aaaa'],
      reason: expect.stringContaining('package-lock.json'),
    });
  });

  it('builds no series this host does not hold, and leaves a current one alone', async () => {
    const none = serviceWith({ newest: null, head: sha('b'), atSnapshot: {}, atHead: inputs });
    expect(await none.service.refresh('acme/app', 'plan', 'setup_changed')).toMatchObject({ built: null });
    expect(none.builds).toEqual([]);
    const current = serviceWith({
      newest: snapshotAt(sha('b')),
      head: sha('b'),
      atSnapshot: {},
      atHead: inputs,
    });
    expect(await current.service.refresh('acme/app', 'implement', 'setup_changed')).toMatchObject({
      built: null,
    });
    expect(current.builds).toEqual([]);
  });

  it('without a condition, brings the series to HEAD as before (a missing one is built)', async () => {
    const { service, builds } = serviceWith({ newest: null, head: sha('b'), atSnapshot: {}, atHead: {} });
    await service.refresh('acme/app', 'plan');
    expect(builds).toEqual([sha('b')]);
  });
});
