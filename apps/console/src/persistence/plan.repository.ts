import type { ConsolePlanDraft, Prisma, PrismaClient } from '@horizon/db';
import type { PlanItem } from '../domain/plan';
import type { PlanDraftView } from '../shared/console-api';

/** What a write changes of a draft; the version, `updatedBy` and `updatedAt` follow from it. */
export interface DraftChanges {
  title?: string;
  brief?: string;
  items?: PlanItem[];
  status?: 'draft' | 'started';
  startedAt?: Date | null;
}

/** Plan drafts in the console's own schema, each written only under its version. */
export class PlanRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(row: {
    id: string;
    repo: string;
    title: string;
    brief: string;
    by: string;
  }): Promise<PlanDraftView> {
    return view(
      await this.prisma.consolePlanDraft.create({
        data: {
          id: row.id,
          repo: row.repo,
          title: row.title,
          brief: row.brief,
          createdBy: row.by,
          updatedBy: row.by,
        },
      }),
    );
  }

  async find(id: string): Promise<PlanDraftView | null> {
    const row = await this.prisma.consolePlanDraft.findUnique({ where: { id } });
    return row ? view(row) : null;
  }

  /** Drafts in the given repositories (every one when `repos` is null), newest change first. */
  async list(repos: readonly string[] | null, repo?: string): Promise<PlanDraftView[]> {
    const where: Prisma.ConsolePlanDraftWhereInput = {
      ...(repos ? { repo: { in: [...repos] } } : {}),
      ...(repo ? { AND: [{ repo }] } : {}),
    };
    const rows = await this.prisma.consolePlanDraft.findMany({
      where,
      orderBy: { updatedAt: 'desc' },
      take: 500,
    });
    return rows.map(view);
  }

  /**
   * Applies `changes` only if the draft is still a draft at `seenVersion`: one conditional
   * UPDATE, so of two writes made on the same version exactly one lands. False when it did not.
   */
  async write(id: string, seenVersion: number, by: string, changes: DraftChanges): Promise<boolean> {
    const { items, ...rest } = changes;
    const { count } = await this.prisma.consolePlanDraft.updateMany({
      where: { id, version: seenVersion, status: 'draft' },
      data: {
        ...rest,
        ...(items ? { items: items as unknown as Prisma.InputJsonValue } : {}),
        version: { increment: 1 },
        updatedBy: by,
        updatedAt: new Date(),
      },
    });
    return count === 1;
  }

  /** Back to `draft` after a start whose items could not all be sent, so it can be started again. */
  async reopen(id: string, by: string): Promise<void> {
    await this.prisma.consolePlanDraft.updateMany({
      where: { id, status: 'started' },
      data: {
        status: 'draft',
        startedAt: null,
        version: { increment: 1 },
        updatedBy: by,
        updatedAt: new Date(),
      },
    });
  }
}

function view(row: ConsolePlanDraft): PlanDraftView {
  return {
    id: row.id,
    repo: row.repo,
    title: row.title,
    brief: row.brief,
    status: row.status,
    version: row.version,
    items: row.items as unknown as PlanItem[],
    createdBy: row.createdBy,
    updatedBy: row.updatedBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
  };
}
