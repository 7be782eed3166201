import type pg from 'pg';
import { Comment, Issue, IssueRef, Project, Relation, TrackerDocument } from './records';
import { SourceNotFound, TrackerSource } from './ports';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface WorkItemRow {
  id: string;
  title: string;
  description: string;
  state: string;
  priority: number;
  labels: string[];
  parentId: string | null;
  owner: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The local tracker: Horizon's own work items as issues. A work item with children (a plan
 * or fleet parent) reads as a project; dependencies are blocks / blocked-by. Work items have
 * no comments, so that list is always empty here.
 */
export class LocalTracker implements TrackerSource {
  readonly name = 'local';
  constructor(private readonly pool: pg.Pool) {}

  async getIssue(id: string): Promise<Issue> {
    const row = await this.workItem(id);
    return {
      ...ref(row),
      description: row.description,
      priority: row.priority,
      labels: row.labels,
      assignee: row.owner,
      projectId: row.parentId,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  async listComments(issueId: string): Promise<Comment[]> {
    await this.workItem(issueId);
    return [];
  }

  async relatedIssues(issueId: string): Promise<Relation[]> {
    const row = await this.workItem(issueId);
    const { rows } = await this.pool.query<WorkItemRow & { relation: Relation['type'] }>(
      `SELECT w.*, 'blocks' AS relation FROM "WorkItemDependency" d JOIN "WorkItem" w ON w.id = d."blockedId" WHERE d."blockerId" = $1
       UNION ALL
       SELECT w.*, 'blocked_by' AS relation FROM "WorkItemDependency" d JOIN "WorkItem" w ON w.id = d."blockerId" WHERE d."blockedId" = $1
       UNION ALL
       SELECT w.*, 'child' AS relation FROM "WorkItem" w WHERE w."parentId" = $1
       UNION ALL
       SELECT w.*, 'parent' AS relation FROM "WorkItem" w WHERE w.id = $2
       ORDER BY relation, "createdAt"`,
      [row.id, row.parentId],
    );
    return rows.map((r) => ({ type: r.relation, issue: ref(r) }));
  }

  async getProject(id: string): Promise<{ project: Project; documents: TrackerDocument[] }> {
    const row = await this.workItem(id);
    return {
      project: { id: row.id, name: row.title, description: row.description, state: row.state, url: null },
      documents: row.description ? [{ id: row.id, title: row.title, content: row.description }] : [],
    };
  }

  private async workItem(id: string): Promise<WorkItemRow> {
    if (!UUID.test(id)) throw new SourceNotFound(`no work item ${id}: local tracker ids are work item UUIDs`);
    const { rows } = await this.pool.query<WorkItemRow>(
      `SELECT w.*, i."displayName" AS owner FROM "WorkItem" w LEFT JOIN "Identity" i ON i.id = w."ownerId" WHERE w.id = $1`,
      [id],
    );
    if (!rows[0]) throw new SourceNotFound(`no work item ${id}`);
    return rows[0];
  }
}

function ref(row: WorkItemRow): IssueRef {
  return { id: row.id, identifier: row.id, title: row.title, state: row.state, url: null };
}
