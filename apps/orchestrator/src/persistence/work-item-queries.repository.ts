import { Inject, Injectable } from '@nestjs/common';
import type { WorkItemKind, WorkItemState } from '@horizon/contracts';
import { DATABASE } from '@horizon/db';
import type { AuditEvent, Database, Prisma, Run, RunFriction, WorkItem } from '@horizon/db';

export interface WorkItemFilter {
  readonly state?: WorkItemState;
  readonly kind?: WorkItemKind;
  readonly repo?: string;
  readonly parentId?: string;
  /** Only items older than this one, in the list's order (newest first, then id descending). */
  readonly after?: { readonly createdAt: Date; readonly id: string };
}

/** An item with its latest run (at most one), as lists and graphs show it. */
export type WorkItemWithLatestRun = WorkItem & { runs: Run[] };

export interface WorkItemGraphRecord {
  readonly items: WorkItemWithLatestRun[];
  readonly edges: { readonly blockerId: string; readonly blockedId: string }[];
}

export interface WorkItemRecord {
  readonly item: WorkItem;
  readonly runs: (Run & { friction: RunFriction[] })[];
  readonly blockedBy: string[];
  readonly blocks: string[];
  readonly audit: AuditEvent[];
}

const LATEST_RUN = { runs: { orderBy: [{ attempt: 'desc' as const }], take: 1 } };

/**
 * Reads for other services' questions (the work-query RPCs), outside any transaction: each is
 * one consistent enough snapshot of committed state, and none of them writes.
 */
@Injectable()
export class WorkItemQueryRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async list(filter: WorkItemFilter, take: number): Promise<WorkItemWithLatestRun[]> {
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
      include: LATEST_RUN,
    });
  }

  /** The items under a plan, or a repository's newest, and the dependencies among them. */
  async graph(scope: { parentId?: string; repo?: string }, take: number): Promise<WorkItemGraphRecord> {
    const items = await this.db.prisma.workItem.findMany({
      where: { parentId: scope.parentId, repo: scope.repo },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
      include: LATEST_RUN,
    });
    const ids = items.map((i) => i.id);
    const edges = await this.db.prisma.workItemDependency.findMany({
      where: { blockerId: { in: ids }, blockedId: { in: ids } },
      select: { blockerId: true, blockedId: true },
      orderBy: [{ createdAt: 'asc' }],
    });
    return { items, edges };
  }

  /** Each repository with work items: how many, and the latest one's creation. */
  async repositories(): Promise<{ repo: string; workItems: number; latestAt: Date }[]> {
    const groups = await this.db.prisma.workItem.groupBy({
      by: ['repo'],
      _count: { _all: true },
      _max: { createdAt: true },
      orderBy: { repo: 'asc' },
    });
    return groups.map((g) => ({ repo: g.repo, workItems: g._count._all, latestAt: g._max.createdAt! }));
  }

  async get(id: string): Promise<WorkItemRecord | null> {
    const item = await this.db.prisma.workItem.findUnique({
      where: { id },
      include: {
        runs: { orderBy: [{ attempt: 'asc' }], include: { friction: true } },
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
