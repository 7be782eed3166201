import { sandboxRefreshSnapshots } from '@horizon/contracts';
import { snapshotRefreshAfterMerge } from '../domain';
import type { UnitOfWork } from './unit-of-work';

/**
 * A merge into `repo` recorded in `uow`: sandbox-manager is asked, through the outbox of the same
 * transaction, to rebuild the repository's snapshots if the merge changed their setup inputs. A
 * redelivered merge is claimed by the inbox before it gets here, so it asks nothing twice.
 */
export function requestSnapshotRefreshAfterMerge(uow: UnitOfWork, repo: string): void {
  uow.emit(sandboxRefreshSnapshots, snapshotRefreshAfterMerge(repo));
}
