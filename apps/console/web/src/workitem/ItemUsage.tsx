import type { UsageView } from '../../../src/shared/console-api';
import { useResource } from '../api/useResource';
import { summary } from '../usage/format';

/** The item's model usage, all its runs: "3 runs, 41.2K tokens, $0.37" (nothing while unknown). */
export function ItemUsage({ workItemId, version }: { workItemId: string; version: string }) {
  // `version` (the item's state) re-reads it as the item moves: a run's last requests are counted by then.
  const usage = useResource<UsageView>(`/api/usage?by=item&days=366&workItemId=${workItemId}&v=${version}`);
  if (usage.status !== 'ready') return null;
  const row = usage.data.rows[0];
  return (
    <>
      <dt>Usage</dt>
      <dd>{row ? summary(row) : 'no model requests yet'}</dd>
    </>
  );
}
