import { Inject, Injectable } from '@nestjs/common';
import type { WorkItemKind, WorkItemState } from '@horizon/contracts';
import { DATABASE } from '@horizon/db';
import type { AuditEvent, Database, Prisma, Run, WorkItem } from '@horizon/db';

export interface WorkItemFilter {
  readonly state?: WorkItemState;
  readonly kind?: WorkItemKind;
  readonly repo?: string;
  readonly parentId?: string;
  /** Only items older than this one, in the list's order (newest first, then id descending). */
  readonly after?: { readonly createdAt: Date; readonly id: string };
}

export interface WorkItemRecord {
  readonly item: WorkItem;
  readonly runs: Run[];
  readonly blockedBy: string[];
  readonly blocks: string[];
  readonly audit: AuditEvent[];
}

/**
 * Reads for other services' questions (the work-query RPCs), outside any transaction: each is
 * one consistent enough snapshot of committed state, and none of them writes.
 */
@Injectable()
export class WorkItemQueryRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async list(filter: WorkItemFilter, take: number): Promise<WorkItem[]> {
    const where: Prisma.WorkItemWhereInput = {
      state: filter.state,
      kind: filter.kind,
      repo: filter.repo,
      parentId: filter.parentId,
    };
    if (filter.after)
      where.OR = [
        { createdAt: { lt: filter.after.createdAt } },
        { createdAt: filter.after.createdAt, id: { lt: filter.after.id } },
      ];
    return this.db.prisma.workItem.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
    });
  }

  async get(id: string): Promise<WorkItemRecord | null> {
    const item = await this.db.prisma.workItem.findUnique({
      where: { id },
      include: {
        runs: { orderBy: [{ attempt: 'asc' }] },
        blockers: { select: { blockerId: true }, orderBy: [{ createdAt: 'asc' }] },
        dependents: { select: { blockedId: true }, orderBy: [{ createdAt: 'asc' }] },
        audit: { orderBy: [{ createdAt: 'asc' }] },
      },
    });
    if (!item) return null;
    const { runs, blockers, dependents, audit, ...row } = item;
    return {
      item: row,
      runs,
      blockedBy: blockers.map((b) => b.blockerId),
      blocks: dependents.map((d) => d.blockedId),
      audit,
    };
  }
}
