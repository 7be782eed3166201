import { randomUUID } from 'node:crypto';
import type { FieldResolver } from './execute';
import type { IssueRecord, LinearState } from './linear-state';

/** A refusal in Linear's error shape (`extensions.type` is what `@linear/sdk` maps to its error classes). */
export class LinearApiError extends Error {
  constructor(
    message: string,
    readonly type: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const notFound = (entity: string) =>
  new LinearApiError(`Entity not found: ${entity}`, 'invalid input', 'INPUT_ERROR');
const invalid = (message: string) => new LinearApiError(message, 'invalid input', 'INPUT_ERROR');

const URL_BASE = 'https://linear.app/standin';

function connection(typename: string, nodes: unknown[]) {
  return {
    __typename: `${typename}Connection`,
    nodes,
    edges: nodes.map((node, i) => ({ __typename: `${typename}Edge`, node, cursor: String(i) })),
    pageInfo: {
      __typename: 'PageInfo',
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    },
  };
}

/** The GraphQL views of stored records; nested objects and connections resolve lazily. */
export function views(state: LinearState) {
  const v = {
    team(id: string) {
      const t = state.teams.get(id);
      if (!t) return null;
      return {
        __typename: 'Team',
        ...t,
        states: () =>
          connection(
            'WorkflowState',
            state.teamStates(t.id).map((s) => v.state(s.id)),
          ),
      };
    },
    state(id: string) {
      const s = state.states.get(id);
      return s ? { __typename: 'WorkflowState', ...s, team: () => v.team(s.teamId), color: '#000000' } : null;
    },
    issue(issue: IssueRecord) {
      return {
        __typename: 'Issue',
        ...issue,
        url: `${URL_BASE}/issue/${issue.identifier}`,
        priority: 0,
        priorityLabel: 'No priority',
        labelIds: [],
        team: () => v.team(issue.teamId),
        state: () => v.state(issue.stateId),
        project: () => (issue.projectId ? v.project(issue.projectId) : null),
      };
    },
    project(id: string) {
      const p = state.projects.get(id);
      if (!p) return null;
      return {
        __typename: 'Project',
        ...p,
        url: `${URL_BASE}/project/${p.id}`,
        slugId: p.id.slice(0, 12),
        documents: () =>
          connection(
            'Document',
            [...state.documents.values()]
              .filter((d) => d.projectId === p.id)
              .map((d) => ({ __typename: 'Document', ...d, project: { id: p.id } })),
          ),
        issues: () =>
          connection(
            'Issue',
            [...state.issues.values()].filter((i) => i.projectId === p.id).map((i) => v.issue(i)),
          ),
        teams: () =>
          connection(
            'Team',
            p.teamIds.map((t) => v.team(t)),
          ),
      };
    },
    relation(id: string) {
      const r = state.relations.get(id);
      return r
        ? {
            __typename: 'IssueRelation',
            ...r,
            updatedAt: r.createdAt,
            issue: { id: r.issueId },
            relatedIssue: { id: r.relatedIssueId },
          }
        : null;
    },
    comment(id: string) {
      const c = state.comments.get(id);
      return c
        ? {
            __typename: 'Comment',
            ...c,
            url: `${URL_BASE}/comment/${c.id}`,
            issue: () => v.issue(state.issues.get(c.issueId)!),
          }
        : null;
    },
    activity(id: string) {
      const a = state.activities.get(id);
      if (!a) return null;
      const type = String(a.content.type);
      const contentType = `AgentActivity${type[0]!.toUpperCase()}${type.slice(1)}Content`;
      return {
        __typename: 'AgentActivity',
        ...a,
        updatedAt: a.createdAt,
        ephemeral: false,
        agentSession: { id: a.agentSessionId },
        content: { __typename: contentType, ...a.content },
      };
    },
  };
  return v;
}

type Args = Record<string, unknown>;
type Input = Record<string, unknown>;

function requireId(args: Args, entity: string): string {
  if (typeof args.id !== 'string') throw invalid(`${entity} id is required`);
  return args.id;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The id a create mutation stores under: the caller's (Linear validates it as a UUID and refuses
 * one it already holds, creating nothing) or a new one.
 */
function freshId(store: Map<string, unknown>, input: Input): string {
  if (input.id === undefined || input.id === null) return randomUUID();
  const id = input.id as string;
  if (!UUID.test(id)) throw invalid('Argument Validation Error: id must be a UUID');
  if (store.has(id)) throw invalid(`Entity with id ${id} already exists`);
  return id;
}

/** Checks agent activity content as Linear documents it per type. */
function checkActivityContent(content: Input): void {
  const type = content.type;
  const needs: Record<string, string[]> = {
    thought: ['body'],
    response: ['body'],
    error: ['body'],
    elicitation: ['body'],
    action: ['action', 'parameter'],
  };
  const required = typeof type === 'string' ? needs[type] : undefined;
  if (!required) throw invalid(`Invalid activity content type: ${String(type)}`);
  for (const key of required)
    if (typeof content[key] !== 'string') throw invalid(`Activity content of type ${type} requires ${key}`);
}

/** Root fields the stand-in answers, by name. Anything else the SDK can send answers "not implemented". */
export function rootResolvers(state: LinearState): Record<string, FieldResolver> {
  const v = views(state);
  const payload = (typename: string, extra: Record<string, unknown>) => ({
    __typename: typename,
    success: true,
    lastSyncId: Date.now(),
    ...extra,
  });
  const issueOrThrow = (id: string) => {
    const issue = state.issues.get(id) ?? [...state.issues.values()].find((i) => i.identifier === id);
    if (!issue) throw notFound('Issue');
    return issue;
  };

  return {
    team: (args) =>
      v.team(requireId(args, 'Team')) ??
      (() => {
        throw notFound('Team');
      })(),
    project: (args) =>
      v.project(requireId(args, 'Project')) ??
      (() => {
        throw notFound('Project');
      })(),
    issue: (args) => v.issue(issueOrThrow(requireId(args, 'Issue'))),
    comment: (args) =>
      v.comment(requireId(args, 'Comment')) ??
      (() => {
        throw notFound('Comment');
      })(),
    issueRelation: (args) =>
      v.relation(requireId(args, 'IssueRelation')) ??
      (() => {
        throw notFound('IssueRelation');
      })(),
    agentActivity: (args) =>
      v.activity(requireId(args, 'AgentActivity')) ??
      (() => {
        throw notFound('AgentActivity');
      })(),

    issueCreate: (args) => {
      const input = args.input as Input;
      const id = freshId(state.issues, input);
      if (!state.teams.has(input.teamId as string)) throw notFound('Team');
      if (input.projectId && !state.projects.has(input.projectId as string)) throw notFound('Project');
      if (input.stateId && state.states.get(input.stateId as string)?.teamId !== input.teamId)
        throw invalid('stateId does not belong to the team');
      const issue = state.addIssue({
        id,
        teamId: input.teamId as string,
        title: (input.title as string | undefined) ?? '',
        description: input.description as string | undefined,
        projectId: (input.projectId as string | undefined) ?? null,
        stateId: input.stateId as string | undefined,
      });
      return payload('IssuePayload', { issue: v.issue(issue) });
    },

    issueUpdate: (args) => {
      const issue = issueOrThrow(requireId(args, 'Issue'));
      const input = args.input as Input;
      if (input.stateId !== undefined) {
        const target = state.states.get(input.stateId as string);
        if (!target || target.teamId !== issue.teamId)
          throw invalid('stateId does not belong to the issue team');
        issue.stateId = target.id;
      }
      if (typeof input.title === 'string') issue.title = input.title;
      if (typeof input.description === 'string') issue.description = input.description;
      issue.updatedAt = new Date();
      return payload('IssuePayload', { issue: v.issue(issue) });
    },

    issueRelationCreate: (args) => {
      const input = args.input as Input;
      const id = freshId(state.relations, input);
      const from = issueOrThrow(input.issueId as string);
      const to = issueOrThrow(input.relatedIssueId as string);
      if (from.id === to.id) throw invalid('An issue cannot be related to itself');
      state.relations.set(id, {
        id,
        issueId: from.id,
        relatedIssueId: to.id,
        type: input.type as 'blocks',
        createdAt: new Date(),
      });
      return payload('IssueRelationPayload', { issueRelation: v.relation(id) });
    },

    commentCreate: (args) => {
      const input = args.input as Input;
      const id = freshId(state.comments, input);
      if (typeof input.issueId !== 'string')
        throw invalid('A comment needs an issueId here (the stand-in models issue comments)');
      const issue = issueOrThrow(input.issueId);
      if (typeof input.body !== 'string' || !input.body) throw invalid('Comment body is required');
      state.comments.set(id, { id, issueId: issue.id, body: input.body, createdAt: new Date() });
      return payload('CommentPayload', { comment: v.comment(id) });
    },

    agentActivityCreate: (args) => {
      const input = args.input as Input;
      const id = freshId(state.activities, input);
      if (!state.sessions.has(input.agentSessionId as string)) throw notFound('AgentSession');
      checkActivityContent(input.content as Input);
      state.activities.set(id, {
        id,
        agentSessionId: input.agentSessionId as string,
        content: input.content as Input,
        createdAt: new Date(),
      });
      return payload('AgentActivityPayload', { agentActivity: v.activity(id) });
    },
  };
}
