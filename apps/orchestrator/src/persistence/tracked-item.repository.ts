import { Inject, Injectable } from '@nestjs/common';
import type { itemRelations } from '@horizon/contracts';
import { DATABASE } from '@horizon/db';
import type { Database } from '@horizon/db';

export interface TrackedItemRow {
  id: string;
  title: string;
  description: string;
  state: string;
  priority: number;
  labels: string[];
  parentId: string | null;
  ownerId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface RelatedItemRow {
  relation: (typeof itemRelations)[number];
  id: string;
  title: string;
  state: string;
}

/** Work items read as a tracker's issues (for mcp-context's local tracker): reads only, outside any transaction. */
@Injectable()
export class TrackedItemRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async get(id: string): Promise<TrackedItemRow | null> {
    const rows = await this.db.prisma.$queryRaw<TrackedItemRow[]>`
      SELECT id::text, title, description, state::text, priority, labels, "parentId"::text,
             "ownerId"::text, "createdAt", "updatedAt"
      FROM "WorkItem" WHERE id = ${id}::uuid`;
    return rows[0] ?? null;
  }

  /** What blocks the item, what it blocks, its children and its parent: by relation, then age. */
  async related(item: Pick<TrackedItemRow, 'id' | 'parentId'>): Promise<RelatedItemRow[]> {
    return this.db.prisma.$queryRaw<RelatedItemRow[]>`
      SELECT * FROM (
        SELECT 'blocks' AS relation, w.id::text, w.title, w.state::text, w."createdAt"
          FROM "WorkItemDependency" d JOIN "WorkItem" w ON w.id = d."blockedId" WHERE d."blockerId" = ${item.id}::uuid
        UNION ALL
        SELECT 'blocked_by', w.id::text, w.title, w.state::text, w."createdAt"
          FROM "WorkItemDependency" d JOIN "WorkItem" w ON w.id = d."blockerId" WHERE d."blockedId" = ${item.id}::uuid
        UNION ALL
        SELECT 'child', w.id::text, w.title, w.state::text, w."createdAt" FROM "WorkItem" w WHERE w."parentId" = ${item.id}::uuid
        UNION ALL
        SELECT 'parent', w.id::text, w.title, w.state::text, w."createdAt" FROM "WorkItem" w WHERE w.id = ${item.parentId}::uuid
      ) r
      ORDER BY relation, "createdAt"`;
  }
}
