import { identityGet, orchestratorRelatedItems, orchestratorTrackedItem } from '@horizon/contracts';
import type { TrackedItem } from '@horizon/contracts';
import type { RpcClient } from '@horizon/messaging';
import { Comment, Issue, IssueRef, Project, Relation, TrackerDocument } from '../domain/records';
import { SourceNotFound, TrackerSource } from './ports';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The local tracker: Horizon's own work items as issues, asked of the orchestrator
 * (`hzn.rpc.orchestrator.*`), the owner's name of identity-broker. A work item with children
 * (a plan or fleet parent) reads as a project; dependencies are blocks / blocked-by. Work items
 * have no comments, so that list is always empty here.
 */
export class LocalTracker implements TrackerSource {
  readonly name = 'local';
  constructor(private readonly rpc: RpcClient) {}

  async getIssue(id: string): Promise<Issue> {
    const item = await this.workItem(id);
    return {
      ...ref(item),
      description: item.description,
      priority: item.priority,
      labels: item.labels,
      assignee: item.ownerId ? await this.ownerName(item.ownerId) : null,
      projectId: item.parentId,
      createdAt: item.createdAt,
      updatedAt: item.updatedAt,
    };
  }

  async listComments(issueId: string): Promise<Comment[]> {
    await this.workItem(issueId);
    return [];
  }

  async relatedIssues(issueId: string): Promise<Relation[]> {
    checkId(issueId);
    const { relations } = await this.rpc.call(orchestratorRelatedItems, { workItemId: issueId });
    if (!relations) throw new SourceNotFound(`no work item ${issueId}`);
    return relations.map(({ relation, item }) => ({ type: relation, issue: ref(item) }));
  }

  async getProject(id: string): Promise<{ project: Project; documents: TrackerDocument[] }> {
    const item = await this.workItem(id);
    return {
      project: { id: item.id, name: item.title, description: item.description, state: item.state, url: null },
      documents: item.description ? [{ id: item.id, title: item.title, content: item.description }] : [],
    };
  }

  private async workItem(id: string): Promise<TrackedItem> {
    checkId(id);
    const { item } = await this.rpc.call(orchestratorTrackedItem, { workItemId: id });
    if (!item) throw new SourceNotFound(`no work item ${id}`);
    return item;
  }

  /** The owner's display name; null when identity-broker no longer knows them. */
  private async ownerName(identityId: string): Promise<string | null> {
    const { identity } = await this.rpc.call(identityGet, { identityId });
    return identity?.displayName ?? null;
  }
}

function checkId(id: string): void {
  if (!UUID.test(id)) throw new SourceNotFound(`no work item ${id}: local tracker ids are work item UUIDs`);
}

function ref(item: Pick<TrackedItem, 'id' | 'title' | 'state'>): IssueRef {
  return { id: item.id, identifier: item.id, title: item.title, state: item.state, url: null };
}
