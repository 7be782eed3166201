import type { Issue as LinearIssue, LinearClient } from '@linear/sdk' with { 'resolution-mode': 'import' };
import { Comment, Issue, IssueRef, Project, Relation, TrackerDocument } from './records';
import { MAX_SOURCE_ITEMS, SourceNotFound, TrackerSource } from './ports';

export interface LinearTrackerOptions {
  apiKey: string;
  /** Linear's GraphQL endpoint; tests point it at a stand-in. */
  apiUrl?: string;
}

interface Connection<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean };
  fetchNext(): Promise<unknown>;
}

/**
 * Linear through `@linear/sdk`: only operations the SDK itself sends, so the real API knows
 * every one. The SDK is an ES module, loaded on first use (this workspace compiles to CommonJS).
 */
export class LinearTracker implements TrackerSource {
  readonly name = 'linear';
  private client?: Promise<LinearClient>;

  constructor(private readonly options: LinearTrackerOptions) {}

  async getIssue(id: string): Promise<Issue> {
    const issue = await this.issue(id);
    const [state, assignee, labels] = await Promise.all([issue.state, issue.assignee, all(await issue.labels())]);
    return {
      ...(await ref(issue, state?.name)),
      description: issue.description ?? '',
      priority: issue.priority,
      labels: labels.map((l) => l.name),
      assignee: assignee?.displayName ?? assignee?.name ?? null,
      projectId: issue.projectId ?? null,
      createdAt: issue.createdAt.toISOString(),
      updatedAt: issue.updatedAt.toISOString(),
    };
  }

  async listComments(issueId: string): Promise<Comment[]> {
    const issue = await this.issue(issueId);
    const comments = await all(await issue.comments());
    const names = new Map<string, Promise<string | null>>();
    const author = (userId: string | undefined, fetch: () => Promise<{ displayName: string } | undefined> | undefined) => {
      if (!userId) return Promise.resolve(null);
      if (!names.has(userId)) names.set(userId, Promise.resolve(fetch()).then((u) => u?.displayName ?? null));
      return names.get(userId)!;
    };
    const out = await Promise.all(
      comments.map(async (c) => ({
        id: c.id,
        author: await author(c.userId, () => c.user),
        body: c.body,
        createdAt: c.createdAt.toISOString(),
        url: c.url,
      })),
    );
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async relatedIssues(issueId: string): Promise<Relation[]> {
    const issue = await this.issue(issueId);
    const [relations, inverse, children, parent] = await Promise.all([
      all(await issue.relations()),
      all(await issue.inverseRelations()),
      all(await issue.children()),
      issue.parent,
    ]);
    const related = async (type: Relation['type'], other: Promise<LinearIssue | undefined> | undefined) => {
      const o = await other;
      return o ? { type, issue: await ref(o, (await o.state)?.name) } : undefined;
    };
    const found = await Promise.all([
      ...relations.map((r) => related(forward(r.type), r.relatedIssue)),
      ...inverse.map((r) => related(backward(r.type), r.issue)),
      ...children.map((c) => related('child', Promise.resolve(c))),
      related('parent', Promise.resolve(parent)),
    ]);
    return found.filter((r): r is Relation => !!r);
  }

  async getProject(id: string): Promise<{ project: Project; documents: TrackerDocument[] }> {
    const project = await this.call(id, async (c) => c.project(id));
    const documents = await all(await project.documents());
    return {
      project: { id: project.id, name: project.name, description: project.description, state: project.state, url: project.url },
      documents: [
        ...(project.content ? [{ id: project.id, title: project.name, content: project.content }] : []),
        ...documents.map((d) => ({ id: d.id, title: d.title, content: d.content ?? '' })),
      ],
    };
  }

  private issue(id: string): Promise<LinearIssue> {
    return this.call(id, (c) => c.issue(id));
  }

  private async call<T>(id: string, fn: (client: LinearClient) => Promise<T>): Promise<T> {
    this.client ??= import('@linear/sdk').then(
      (sdk) => new sdk.LinearClient({ apiKey: this.options.apiKey, apiUrl: this.options.apiUrl }),
    );
    try {
      return await fn(await this.client);
    } catch (err) {
      if (/not found|could not find|entity not found/i.test((err as Error).message)) throw new SourceNotFound(`linear: ${id} not found`);
      throw new Error(`linear: ${(err as Error).message}`);
    }
  }
}

async function ref(issue: LinearIssue, state: string | undefined): Promise<IssueRef> {
  return { id: issue.id, identifier: issue.identifier, title: issue.title, state: state ?? null, url: issue.url };
}

/** Linear relation `A <type> B`, read from A. */
function forward(type: string): Relation['type'] {
  return type === 'blocks' ? 'blocks' : type === 'duplicate' ? 'duplicates' : 'related';
}

/** The same relation read from B. */
function backward(type: string): Relation['type'] {
  return type === 'blocks' ? 'blocked_by' : type === 'duplicate' ? 'duplicated_by' : 'related';
}

/** Every node of a connection, up to MAX_SOURCE_ITEMS (the SDK's fetchNext appends to `nodes`). */
async function all<T>(connection: Connection<T>): Promise<T[]> {
  while (connection.pageInfo.hasNextPage && connection.nodes.length < MAX_SOURCE_ITEMS) await connection.fetchNext();
  return connection.nodes;
}
