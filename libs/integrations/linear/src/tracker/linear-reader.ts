import type { Issue as LinearIssue, LinearClient } from '@linear/sdk' with { 'resolution-mode': 'import' };
import { linearEndpoints } from '../endpoints';
import { TrackerCallError } from './tracker-port';

/** An issue as a reader sees it, with its state's name. Times are ISO 8601. */
export interface IssueRef {
  id: string;
  identifier: string;
  title: string;
  state: string | null;
  url: string | null;
}

export interface IssueDetail extends IssueRef {
  description: string;
  priority: number | null;
  labels: string[];
  assignee: string | null;
  projectId: string | null;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface IssueComment {
  id: string;
  author: string | null;
  body: string;
  createdAt: string | null;
  url: string | null;
}

/** How the issue asked about relates to `issue`: blocks = it blocks `issue`; parent = `issue` is its parent. */
export interface IssueRelation {
  type: 'blocks' | 'blocked_by' | 'related' | 'duplicates' | 'duplicated_by' | 'parent' | 'child';
  issue: IssueRef;
}

export interface ProjectSummary {
  id: string;
  name: string;
  description: string;
  state: string | null;
  url: string | null;
}

export interface ProjectDocument {
  id: string;
  title: string;
  content: string;
}

export interface LinearReaderOptions {
  apiKey: string;
  /** `LINEAR_API_URL` (`linearEndpoints`); tests point it at a stand-in. */
  apiUrl?: string;
  /** Lists stop after this many items (default 500). */
  maxItems?: number;
}

interface Connection<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean };
  fetchNext(): Promise<unknown>;
}

/**
 * Reads Linear issues, their comments and relations, and projects with their documents, through
 * `@linear/sdk`: only operations the SDK itself sends, so the real API knows every one. The SDK
 * is an ES module, loaded on first use (this workspace compiles to CommonJS). A missing issue or
 * project is a permanent `TrackerCallError` saying so.
 */
export class LinearReader {
  readonly name = 'linear';
  private client?: Promise<LinearClient>;

  constructor(private readonly options: LinearReaderOptions) {}

  async getIssue(id: string): Promise<IssueDetail> {
    const issue = await this.issue(id);
    const [state, assignee, labels] = await Promise.all([
      stateNames(this.all)(issue),
      issue.assignee,
      this.all(await issue.labels()),
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

  async listComments(issueId: string): Promise<IssueComment[]> {
    const issue = await this.issue(issueId);
    const comments = await this.all(await issue.comments());
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

  async relatedIssues(issueId: string): Promise<IssueRelation[]> {
    const issue = await this.issue(issueId);
    const stateOf = stateNames(this.all);
    const [relations, inverse, children, parent] = await Promise.all([
      this.all(await issue.relations()),
      this.all(await issue.inverseRelations()),
      this.all(await issue.children()),
      issue.parent,
    ]);
    const related = async (
      type: IssueRelation['type'],
      other: Promise<LinearIssue | undefined> | undefined,
    ) => {
      const o = await other;
      return o ? { type, issue: ref(o, await stateOf(o)) } : undefined;
    };
    const found = await Promise.all([
      ...relations.map((r) => related(forward(r.type), r.relatedIssue)),
      ...inverse.map((r) => related(backward(r.type), r.issue)),
      ...children.map((c) => related('child', Promise.resolve(c))),
      related('parent', Promise.resolve(parent)),
    ]);
    return found.filter((r): r is IssueRelation => !!r);
  }

  async getProject(id: string): Promise<{ project: ProjectSummary; documents: ProjectDocument[] }> {
    const project = await this.call(id, async (c) => c.project(id));
    const documents = await this.all(await project.documents());
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
      (sdk) =>
        new sdk.LinearClient({
          apiKey: this.options.apiKey,
          apiUrl: linearEndpoints(this.options.apiUrl).graphql,
        }),
    );
    try {
      return await fn(await this.client);
    } catch (err) {
      if (/not found|could not find|entity not found/i.test((err as Error).message))
        throw new TrackerCallError(`linear: ${id} not found`, true);
      throw new TrackerCallError(`linear: ${(err as Error).message}`, false);
    }
  }

  /** Every node of a connection, up to `maxItems` (the SDK's fetchNext appends to `nodes`). */
  private readonly all = async <T>(connection: Connection<T>): Promise<T[]> => {
    const max = this.options.maxItems ?? 500;
    while (connection.pageInfo.hasNextPage && connection.nodes.length < max) await connection.fetchNext();
    return connection.nodes;
  };
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
function stateNames(
  all: <T>(connection: Connection<T>) => Promise<T[]>,
): (issue: LinearIssue) => Promise<string | undefined> {
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
function forward(type: string): IssueRelation['type'] {
  return type === 'blocks' ? 'blocks' : type === 'duplicate' ? 'duplicates' : 'related';
}

/** The same relation read from B. */
function backward(type: string): IssueRelation['type'] {
  return type === 'blocks' ? 'blocked_by' : type === 'duplicate' ? 'duplicated_by' : 'related';
}
