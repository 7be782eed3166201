/**
 * The files a snapshot's setup depends on: `.horizon/config.yaml` (its `setup:` commands, and the
 * egress they install through) and the dependency lockfiles those commands install from, at the
 * repository root. A merge that changes none of them changes nothing setup would produce: the run
 * fetches its base over the snapshot, so its text (AGENTS.md, sources) is current without a rebuild.
 */
export const SETUP_INPUT_PATHS = [
  '.horizon/config.yaml',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'pnpm-lock.yaml',
  'yarn.lock',
  'bun.lockb',
  'requirements.txt',
  'poetry.lock',
  'uv.lock',
  'Pipfile.lock',
  'Gemfile.lock',
  'go.sum',
  'Cargo.lock',
] as const;

/** Git blob id of each setup input a tree holds, by path; a path the tree lacks is absent. */
export type SetupInputBlobs = Readonly<Record<string, string>>;

/**
 * The setup inputs that differ between the snapshot's tree and the new one: changed, added or
 * removed (a lockfile deleted changes what `npm ci` does as much as one edited). Sorted; empty
 * when setup would produce the same snapshot.
 */
export function changedSetupInputs(snapshot: SetupInputBlobs, head: SetupInputBlobs): string[] {
  const paths = new Set([...Object.keys(snapshot), ...Object.keys(head)]);
  return [...paths].filter((path) => snapshot[path] !== head[path]).sort();
}
