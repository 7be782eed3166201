import type { Prisma, PrismaClient, WorkItem } from '@horizon/db';
import type { z } from 'zod';
import type { WorkItemView, listWorkItemsQuery } from './work-items.schemas';

type ListQuery = z.infer<typeof listWorkItemsQuery>;

/** Newest first; the cursor is the (createdAt, id) of the last item served, opaque to callers. */
export function encodeCursor(item: Pick<WorkItem, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([item.createdAt.toISOString(), item.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } | null {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(createdAt);
    if (Number.isNaN(date.getTime()) || typeof id !== 'string') return null;
    return { createdAt: date, id };
  } catch {
    return null;
  }
}

export class InvalidCursorError extends Error {}

/** Read-only access to work items: the orchestrator owns every write. */
export class WorkItemReader {
  constructor(private readonly prisma: PrismaClient) {}

  async find(id: string): Promise<WorkItemView | null> {
    const row = await this.prisma.workItem.findUnique({ where: { id } });
    return row ? toView(row) : null;
  }

  async list(query: ListQuery): Promise<{ items: WorkItemView[]; nextCursor: string | null }> {
    const where: Prisma.WorkItemWhereInput = { state: query.state, kind: query.kind, repo: query.repo };
    if (query.cursor) {
      const after = decodeCursor(query.cursor);
      if (!after) throw new InvalidCursorError('cursor is not one this API issued');
      where.OR = [
        { createdAt: { lt: after.createdAt } },
        { createdAt: after.createdAt, id: { lt: after.id } },
      ];
    }
    const rows = await this.prisma.workItem.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    return {
      items: page.map(toView),
      nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]!) : null,
    };
  }
}

function toView(row: WorkItem): WorkItemView {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    repo: row.repo,
    title: row.title,
    description: row.description,
    branch: row.branch,
    priority: row.priority,
    labels: row.labels,
    autoStart: row.autoStart,
    ownerId: row.ownerId,
    parentId: row.parentId,
    sourceRefs: (row.sourceRefs ?? {}) as Record<string, unknown>,
    stateEnteredAt: row.stateEnteredAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
