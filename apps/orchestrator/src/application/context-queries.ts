import { Injectable } from '@nestjs/common';
import type { DataOf, ReplyOf } from '@horizon/contracts';
import type {
  orchestratorRelatedItems,
  orchestratorSearchRunHistory,
  orchestratorTrackedItem,
} from '@horizon/contracts';
import { RunHistoryRepository } from '../persistence/run-history.repository';
import { TrackedItemRepository } from '../persistence/tracked-item.repository';

/**
 * What mcp-context asks of the orchestrator's records (`hzn.rpc.orchestrator.*`): work items
 * as tracker issues and the search over past runs. Reads only; nothing here changes state.
 */
@Injectable()
export class ContextQueries {
  constructor(
    private readonly items: TrackedItemRepository,
    private readonly history: RunHistoryRepository,
  ) {}

  async trackedItem({
    workItemId,
  }: DataOf<typeof orchestratorTrackedItem>): Promise<ReplyOf<typeof orchestratorTrackedItem>> {
    const row = await this.items.get(workItemId);
    return {
      item: row && {
        ...row,
        createdAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
      },
    };
  }

  async relatedItems({
    workItemId,
  }: DataOf<typeof orchestratorRelatedItems>): Promise<ReplyOf<typeof orchestratorRelatedItems>> {
    const item = await this.items.get(workItemId);
    if (!item) return { relations: null };
    const related = await this.items.related(item);
    return {
      relations: related.map(({ relation, id, title, state }) => ({ relation, item: { id, title, state } })),
    };
  }

  async searchRunHistory(
    query: DataOf<typeof orchestratorSearchRunHistory>,
  ): Promise<ReplyOf<typeof orchestratorSearchRunHistory>> {
    const rows = await this.history.search(query);
    return {
      matches: rows.map((r) => ({
        runId: r.id,
        workItemId: r.workItemId,
        title: r.title,
        repo: r.repo,
        flavour: r.flavour,
        outcome: r.outcome,
        finishedAt: r.finishedAt?.toISOString() ?? null,
        rank: Number(r.rank),
        excerpt: r.excerpt,
      })),
    };
  }
}
