import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@horizon/db';
import { TrackerCallError } from '@horizon/integrations-linear';
import type {
  AgentActivityContent,
  NewTrackerIssue,
  TrackerIssue,
  TrackerPort,
  TrackerProject,
  TrackerWorkflowState,
} from '@horizon/integrations-linear';

type IssueRow = {
  id: string;
  identifier: string;
  title: string;
  description: string;
  state: string;
  teamId?: string;
  projectId?: string | null;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The local issue states (`LocalIssue.state`), which are Linear's state types. */
const STATES: TrackerWorkflowState[] = [
  { id: 'backlog', name: 'Backlog', type: 'backlog', position: 0 },
  { id: 'started', name: 'In Progress', type: 'started', position: 1 },
  { id: 'completed', name: 'Done', type: 'completed', position: 2 },
];

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === 'P2002';

/**
 * The tracker port over Postgres: Horizon's own projects and issues, for a machine with no
 * Linear. Its issues are the tracker's, kept apart from Horizon's work items exactly as Linear's
 * are. It emits no `hzn.ingress.linear.*` events (see docs/local-forge.md): work for the
 * orchestrator comes through the work API.
 */
export class LocalTracker implements TrackerPort {
  constructor(
    private readonly prisma: PrismaClient,
    /** Where an issue's `url` points (e.g. the console). */
    private readonly baseUrl = 'horizon://tracker',
  ) {}

  async createProject(input: { key: string; name: string; description?: string; content?: string }) {
    if (!/^[A-Z][A-Z0-9]{0,9}$/.test(input.key))
      throw new TrackerCallError(`project key ${input.key}: 1-10 upper-case letters or digits`, true);
    return this.prisma.localProject.create({ data: { id: randomUUID(), ...input } });
  }

  async createIssue(input: NewTrackerIssue): Promise<TrackerIssue> {
    const row = await this.createIssueRow(input).catch((err: unknown) => {
      if (isUniqueViolation(err)) throw new TrackerCallError(`issue ${input.id} already exists`, true);
      throw err;
    });
    return this.issue(row);
  }

  private createIssueRow(input: NewTrackerIssue) {
    return this.prisma.$transaction(async (tx) => {
      const project = input.projectId
        ? await tx.localProject
            .update({ where: { id: input.projectId }, data: { nextNumber: { increment: 1 } } })
            .catch(() => null)
        : null;
      if (input.projectId && !project)
        throw new TrackerCallError(`project ${input.projectId} not found`, true);
      const identifier = project
        ? `${project.key}-${project.nextNumber - 1}`
        : `LOCAL-${randomUUID().slice(0, 8)}`;
      if (input.stateId && !STATES.some((s) => s.id === input.stateId))
        throw new TrackerCallError(`no workflow state ${input.stateId}`, true);
      return tx.localIssue.create({
        data: {
          id: input.id ?? randomUUID(),
          projectId: input.projectId ?? null,
          identifier,
          teamId: input.teamId,
          title: input.title,
          description: input.description,
          ...(input.stateId ? { state: input.stateId } : {}),
        },
      });
    });
  }

  async findIssue(id: string): Promise<TrackerIssue | null> {
    const row = await this.prisma.localIssue.findFirst({
      where: UUID.test(id) ? { id } : { identifier: id },
    });
    return row && this.issue(row);
  }

  async workflowStates(): Promise<TrackerWorkflowState[]> {
    return STATES;
  }

  async addBlocksRelation(blockerId: string, blockedId: string, id?: string): Promise<{ id: string }> {
    if (blockerId === blockedId) throw new TrackerCallError('an issue cannot block itself', true);
    const existing = await this.prisma.localIssueRelation.findUnique({
      where: { blockerId_blockedId: { blockerId, blockedId } },
    });
    if (existing) return { id: existing.id };
    const row = await this.prisma.localIssueRelation
      .create({ data: { id: id ?? randomUUID(), blockerId, blockedId } })
      .catch((err: Error) => {
        throw new TrackerCallError(`cannot relate ${blockerId} → ${blockedId}: ${err.message}`, true);
      });
    return { id: row.id };
  }

  async issueRelationExists(id: string): Promise<boolean> {
    return (await this.prisma.localIssueRelation.count({ where: { id } })) > 0;
  }

  async createAgentActivity(input: { id?: string; agentSessionId: string; content: AgentActivityContent }) {
    const id = input.id ?? randomUUID();
    const body =
      'body' in input.content ? input.content.body : `${input.content.action} ${input.content.parameter}`;
    await this.prisma.localIssueComment.upsert({
      where: { id },
      create: { id, agentSessionId: input.agentSessionId, body, content: input.content as object },
      update: {},
    });
    return { id };
  }

  async agentActivityExists(id: string): Promise<boolean> {
    return (await this.prisma.localIssueComment.count({ where: { id, agentSessionId: { not: null } } })) > 0;
  }

  async createComment(input: { id?: string; issueId: string; body: string }): Promise<{ id: string }> {
    const id = input.id ?? randomUUID();
    await this.prisma.localIssueComment.upsert({
      where: { id },
      create: { id, issueId: input.issueId, body: input.body },
      update: {},
    });
    return { id };
  }

  async commentExists(id: string): Promise<boolean> {
    return (await this.prisma.localIssueComment.count({ where: { id, issueId: { not: null } } })) > 0;
  }

  async completeIssue(issueId: string): Promise<{ stateId: string; stateName: string }> {
    const updated = await this.prisma.localIssue.updateMany({
      where: { id: issueId },
      data: { state: 'completed', completedAt: new Date() },
    });
    if (updated.count === 0) throw new TrackerCallError(`issue ${issueId} not found`, true);
    return { stateId: 'completed', stateName: 'Done' };
  }

  async readProject(projectId: string): Promise<TrackerProject> {
    const project = await this.prisma.localProject.findUnique({
      where: { id: projectId },
      include: { issues: { orderBy: { createdAt: 'asc' } } },
    });
    if (!project) throw new TrackerCallError(`project ${projectId} not found`, true);
    return {
      id: project.id,
      name: project.name,
      description: project.description,
      content: project.content,
      url: `${this.baseUrl}/projects/${project.key}`,
      documents: [],
      issues: project.issues.map((i) => this.issue(i)),
    };
  }

  /** The issues `issueId` is blocked by (the port has no read of relations; the demo needs one). */
  async blockersOf(issueId: string): Promise<TrackerIssue[]> {
    const rows = await this.prisma.localIssueRelation.findMany({
      where: { blockedId: issueId },
      include: { blocker: true },
    });
    return rows.map((r) => this.issue(r.blocker));
  }

  private issue(row: IssueRow): TrackerIssue {
    return {
      id: row.id,
      identifier: row.identifier,
      title: row.title,
      description: row.description,
      url: `${this.baseUrl}/issues/${row.identifier}`,
      stateId: row.state,
      ...(row.teamId !== undefined ? { teamId: row.teamId } : {}),
      ...(row.projectId !== undefined ? { projectId: row.projectId } : {}),
    };
  }
}
