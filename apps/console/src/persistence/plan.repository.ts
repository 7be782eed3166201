import type { ConsolePlanDraft, Prisma, PrismaClient } from '@horizon/db';
import type { PlanItem } from '../domain/plan';
import type { PlanDraftView, PlanningView } from '../shared/console-api';

/** What a write changes of a draft; the version, `updatedBy` and `updatedAt` follow from it. */
export interface DraftChanges {
  title?: string;
  brief?: string;
  items?: PlanItem[];
  status?: 'draft' | 'started';
  startedAt?: Date | null;
  /** The PM agent was asked to plan the draft: its plan work item, now planning. */
  planningWorkItemId?: string;
  planningState?: PlanningView['state'];
}

/** Who the draft names as its last writer when the PM agent's proposal lands. */
export const PM_AGENT = 'PM agent';

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
        // A new run of the PM agent forgets why the last one failed.
        ...(rest.planningWorkItemId ? { planningError: null } : {}),
        version: { increment: 1 },
        updatedBy: by,
        updatedAt: new Date(),
      },
    });
    return count === 1;
  }

  /**
   * The proposal of `workItemId`'s run as the draft's items, once: only while that run is the
   * draft's planning one and still planning, and the draft not started. The new version, or null
   * when it did not land (a redelivery, a newer run, a started draft).
   */
  async applyProposal(draftId: string, workItemId: string, items: PlanItem[]): Promise<number | null> {
    return this.endPlanning(draftId, workItemId, {
      items: items as unknown as Prisma.InputJsonValue,
      planningState: 'proposed',
    });
  }

  /** The drafts `workItemId` is planning now (at most one): its run ended, so each can be told. */
  async planningBy(workItemId: string): Promise<string[]> {
    const rows = await this.prisma.consolePlanDraft.findMany({
      where: { planningWorkItemId: workItemId, planningState: 'planning', status: 'draft' },
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  /** `workItemId`'s run ended without a proposal; the same conditions as `applyProposal`. */
  async planningFailed(draftId: string, workItemId: string, error: string): Promise<number | null> {
    return this.endPlanning(draftId, workItemId, { planningState: 'failed', planningError: error });
  }

  private async endPlanning(
    draftId: string,
    workItemId: string,
    data: Prisma.ConsolePlanDraftUpdateManyMutationInput,
  ): Promise<number | null> {
    const { count } = await this.prisma.consolePlanDraft.updateMany({
      where: { id: draftId, planningWorkItemId: workItemId, planningState: 'planning', status: 'draft' },
      data: { ...data, version: { increment: 1 }, updatedBy: PM_AGENT, updatedAt: new Date() },
    });
    if (count !== 1) return null;
    return (await this.find(draftId))?.version ?? null;
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
    planning: row.planningWorkItemId
      ? {
          workItemId: row.planningWorkItemId,
          state: row.planningState as PlanningView['state'],
          error: row.planningError,
        }
      : null,
  };
}
