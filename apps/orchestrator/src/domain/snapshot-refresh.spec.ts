import { sandboxRefreshSnapshots } from '@horizon/contracts';
import { snapshotRefreshAfterMerge } from './snapshot-refresh';

describe('snapshotRefreshAfterMerge: a merge refreshes snapshots only when setup inputs changed', () => {
  it('asks for the series runs boot from the newest of, on the condition that setup changed', () => {
    const data = snapshotRefreshAfterMerge('acme/app');
    expect(data).toEqual({ repo: 'acme/app', flavours: ['implement', 'plan'], when: 'setup_changed' });
    expect(sandboxRefreshSnapshots.data.parse(data)).toEqual(data);
  });

  it('leaves out verify, whose sandboxes boot at their exact commit', () => {
    expect(snapshotRefreshAfterMerge('acme/app').flavours).not.toContain('verify');
  });
});
