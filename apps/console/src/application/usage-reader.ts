import {
  identityGet,
  orchestratorUsageRollup,
  type UsageGrouping,
  type UsageRollupRow,
} from '@horizon/contracts';
import type { RpcClient } from '@horizon/messaging';
import type { UsageRow, UsageView } from '../shared/console-api';
import type { Viewer } from './sign-in.service';

/**
 * Model usage as the egress proxies counted it (the orchestrator's rollup), cut to the
 * repositories the person may see; `--by person` rows carry the person's name.
 */
export class UsageReader {
  constructor(private readonly rpc: RpcClient) {}

  async rollup(
    viewer: Viewer,
    query: { by: UsageGrouping; since: Date; workItemId?: string },
  ): Promise<UsageView> {
    const everywhere = viewer.grants.some((g) => g.repo === '*');
    const { rows } = await this.rpc.call(orchestratorUsageRollup, {
      by: query.by,
      since: query.since.toISOString(),
      ...(everywhere ? {} : { repos: viewer.grants.map((g) => g.repo) }),
      ...(query.workItemId ? { workItemId: query.workItemId } : {}),
    });
    return { since: query.since.toISOString(), rows: query.by === 'person' ? await this.named(rows) : rows };
  }

  /** A broker that does not answer leaves the ids: the figures matter more than the names. */
  private async named(rows: UsageRollupRow[]): Promise<UsageRow[]> {
    const names = new Map<string, string>();
    await Promise.all(
      rows.map(async ({ key }) => {
        if (!key) return;
        const { identity } = await this.rpc
          .call(identityGet, { identityId: key })
          .catch(() => ({ identity: null }));
        if (identity) names.set(key, identity.displayName);
      }),
    );
    return rows.map((row) => (row.key && names.has(row.key) ? { ...row, name: names.get(row.key)! } : row));
  }
}
