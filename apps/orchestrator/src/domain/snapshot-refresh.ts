import type { DataOf, SandboxFlavour, sandboxRefreshSnapshots } from '@horizon/contracts';

/**
 * The snapshot series runs boot from the newest of: `implement` (a review shares it) and `plan`.
 * A `verify` sandbox cannot fetch, so it boots from a snapshot at its exact commit: bringing
 * that series to HEAD would serve no run.
 */
export const MERGE_REFRESHED_SERIES = ['implement', 'plan'] as const satisfies readonly SandboxFlavour[];

/**
 * What a merge asks of sandbox-manager: rebuild the repository's snapshots only if the merge
 * changed what their setup depends on. Runs read the merged text from their own checkout at once
 * (their base is fetched over the snapshot), so rebuilding on every merge would only cost setup.
 */
export function snapshotRefreshAfterMerge(repo: string): DataOf<typeof sandboxRefreshSnapshots> {
  return { repo, flavours: [...MERGE_REFRESHED_SERIES], when: 'setup_changed' };
}
