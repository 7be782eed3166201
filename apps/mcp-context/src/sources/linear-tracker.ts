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
    const [state, assignee, labels] = await Promise.all([
      stateNames()(issue),
      issue.assignee,
      all(await issue.labels()),
    ]);
    return {
      ...ref(issue, state),
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
    const author = (
      userId: string | undefined,
      fetch: () => Promise<{ displayName: string } | undefined> | undefined,
    ) => {
      if (!userId) return Promise.resolve(null);
      if (!names.has(userId))
        names.set(
          userId,
          Promise.resolve(fetch()).then((u) => u?.displayName ?? null),
        );
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
    const stateOf = stateNames();
    const [relations, inverse, children, parent] = await Promise.all([
      all(await issue.relations()),
      all(await issue.inverseRelations()),
      all(await issue.children()),
      issue.parent,
    ]);
    const related = async (type: Relation['type'], other: Promise<LinearIssue | undefined> | undefined) => {
      const o = await other;
      return o ? { type, issue: ref(o, await stateOf(o)) } : undefined;
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
      project: {
        id: project.id,
        name: project.name,
        description: project.description,
        state: project.state,
        url: project.url,
      },
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
      if (/not found|could not find|entity not found/i.test((err as Error).message))
        throw new SourceNotFound(`linear: ${id} not found`);
      throw new Error(`linear: ${(err as Error).message}`);
    }
  }
}

function ref(issue: LinearIssue, state: string | undefined): IssueRef {
  return {
    id: issue.id,
    identifier: issue.identifier,
    title: issue.title,
    state: state ?? null,
    url: issue.url,
  };
}

/**
 * Names issues' workflow states through their teams' state lists, fetched once per team per
 * call: related issues mostly share a team, so this is one request where per-issue lookups are many.
 */
function stateNames(): (issue: LinearIssue) => Promise<string | undefined> {
  const byTeam = new Map<string, Promise<Map<string, string>>>();
  return async (issue) => {
    const teamId = issue.teamId;
    if (!teamId || !issue.stateId) return undefined;
    if (!byTeam.has(teamId))
      byTeam.set(
        teamId,
        (async () => {
          const team = await issue.team;
          const states = team ? await all(await team.states()) : [];
          return new Map(states.map((s) => [s.id, s.name]));
        })(),
      );
    return (await byTeam.get(teamId)!).get(issue.stateId);
  };
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
  while (connection.pageInfo.hasNextPage && connection.nodes.length < MAX_SOURCE_ITEMS)
    await connection.fetchNext();
  return connection.nodes;
}
