import type { LinearClient, LinearError } from '@linear/sdk' with { 'resolution-mode': 'import' };
import {
  AgentActivityContent,
  NewTrackerIssue,
  TrackerCallError,
  TrackerIssue,
  TrackerPort,
  TrackerProject,
  TrackerRateLimitedError,
  TrackerWorkflowState,
} from './tracker-port';
import { linearEndpoints } from '../endpoints';

export interface LinearTrackerOptions {
  /** An OAuth access token (the app actor's) or, with `apiKey`, a personal key. */
  accessToken?: string;
  apiKey?: string;
  /** `LINEAR_API_URL`: Linear's API origin or GraphQL endpoint (`linearEndpoints`); tests point it at the stand-in. */
  apiUrl?: string;
  /** Read after a rate limit when Linear sent neither Retry-After nor a reset time. */
  defaultRetryAfterMs?: number;
}

/** Linear error types (`LinearErrorType` values) that no retry of the same call can fix. */
const PERMANENT = new Set([
  'AuthenticationError',
  'Forbidden',
  'FeatureNotAccessible',
  'InvalidInput',
  'GraphqlError',
  'UserError',
  'UsageLimitExceeded',
]);

type Sdk = typeof import('@linear/sdk', { with: { 'resolution-mode': 'import' } });

/** The TrackerPort on `@linear/sdk`'s `LinearClient`; every error leaves as a tracker error. */
export function createLinearTracker(options: LinearTrackerOptions): TrackerPort {
  let loaded: Promise<{ sdk: Sdk; client: LinearClient }> | undefined;
  // @linear/sdk is an ES module: loaded on first use, because this workspace compiles to CommonJS.
  const load = () =>
    (loaded ??= import('@linear/sdk').then((sdk) => ({
      sdk,
      client: new sdk.LinearClient({
        accessToken: options.accessToken,
        apiKey: options.apiKey,
        apiUrl: linearEndpoints(options.apiUrl).graphql,
      }),
    })));
  const run = async <T>(fn: (c: LinearClient, sdk: Sdk) => Promise<T>): Promise<T> => {
    const { sdk, client } = await load();
    try {
      return await fn(client, sdk);
    } catch (err) {
      throw toTrackerError(err, sdk, options.defaultRetryAfterMs ?? 60_000);
    }
  };
  /** What `fetch` answers, or null when Linear says the entity is not there. */
  const found = async <T>(fetch: () => Promise<T>, sdk: Sdk): Promise<T | null> => {
    try {
      return await fetch();
    } catch (err) {
      if (err instanceof sdk.LinearError && /not found|could not find/i.test(err.message)) return null;
      throw err;
    }
  };
  const exists = async (fetch: () => Promise<unknown>, sdk: Sdk) => (await found(fetch, sdk)) !== null;

  return {
    createIssue: (input: NewTrackerIssue) =>
      run(async (c) => {
        const payload = await c.createIssue({
          ...(input.id ? { id: input.id } : {}),
          teamId: input.teamId,
          projectId: input.projectId,
          ...(input.stateId ? { stateId: input.stateId } : {}),
          title: input.title,
          description: input.description,
        });
        const issue = await payload.issue;
        if (!payload.success || !issue)
          throw new TrackerCallError('issueCreate did not return an issue', false);
        return issueOf(issue);
      }),

    findIssue: (id) =>
      run(async (c, sdk) => {
        const issue = await found(() => c.issue(id), sdk);
        return issue && issueOf(issue);
      }),

    workflowStates: (teamId) =>
      run(async (c): Promise<TrackerWorkflowState[]> => {
        const team = await c.team(teamId);
        const states = await team.states();
        return states.nodes
          .map((s) => ({ id: s.id, name: s.name, type: s.type, position: s.position }))
          .sort((a, b) => a.position - b.position);
      }),

    addBlocksRelation: (blockerId, blockedId, id) =>
      run(async (c, sdk) => {
        const payload = await c.createIssueRelation({
          ...(id ? { id } : {}),
          issueId: blockerId,
          relatedIssueId: blockedId,
          type: sdk.IssueRelationType.Blocks,
        });
        const created = payload.issueRelationId;
        if (!payload.success || !created)
          throw new TrackerCallError('issueRelationCreate did not succeed', false);
        return { id: created };
      }),

    createAgentActivity: (input: { id?: string; agentSessionId: string; content: AgentActivityContent }) =>
      run(async (c) => {
        const payload = await c.createAgentActivity({
          id: input.id,
          agentSessionId: input.agentSessionId,
          content: input.content,
        });
        const id = payload.agentActivityId;
        if (!payload.success || !id) throw new TrackerCallError('agentActivityCreate did not succeed', false);
        return { id };
      }),

    issueRelationExists: (id) => run((c, sdk) => exists(() => c.issueRelation(id), sdk)),

    agentActivityExists: (id) => run((c, sdk) => exists(() => c.agentActivity(id), sdk)),

    createComment: (input) =>
      run(async (c) => {
        const payload = await c.createComment({ id: input.id, issueId: input.issueId, body: input.body });
        const id = payload.commentId;
        if (!payload.success || !id) throw new TrackerCallError('commentCreate did not succeed', false);
        return { id };
      }),

    commentExists: (id) => run((c, sdk) => exists(() => c.comment({ id }), sdk)),

    completeIssue: (issueId) =>
      run(async (c) => {
        const issue = await c.issue(issueId);
        const team = await issue.team;
        if (!team) throw new TrackerCallError(`issue ${issueId} has no team`, true);
        const states = await team.states();
        const completed = states.nodes
          .filter((s) => s.type === 'completed')
          .sort((a, b) => a.position - b.position)[0];
        if (!completed)
          throw new TrackerCallError(`team ${team.key} has no workflow state of type completed`, true);
        if (issue.stateId !== completed.id) await c.updateIssue(issueId, { stateId: completed.id });
        return { stateId: completed.id, stateName: completed.name };
      }),

    readProject: (projectId) =>
      run(async (c): Promise<TrackerProject> => {
        const project = await c.project(projectId);
        const [documents, issues] = await Promise.all([project.documents(), project.issues()]);
        return {
          id: project.id,
          name: project.name,
          description: project.description,
          content: project.content ?? '',
          url: project.url,
          documents: documents.nodes.map((d) => ({ id: d.id, title: d.title, content: d.content ?? '' })),
          issues: issues.nodes.map(issueOf),
        };
      }),
  };
}

function issueOf(issue: {
  id: string;
  identifier: string;
  title: string;
  description?: string | null;
  url: string;
  stateId?: string;
  teamId?: string;
  projectId?: string;
}): TrackerIssue {
  return {
    id: issue.id,
    identifier: issue.identifier,
    title: issue.title,
    description: issue.description ?? '',
    url: issue.url,
    stateId: issue.stateId,
    teamId: issue.teamId,
    // The SDK's models leave an unset relation undefined: read as "in no project".
    projectId: issue.projectId ?? null,
  };
}

/** Reads a rate limit's wait from Retry-After (seconds) or the reset time (epoch ms, as Linear documents). */
function retryAfterMs(
  err: { retryAfter?: number; requestsResetAt?: number; complexityResetAt?: number },
  fallback: number,
): number {
  if (err.retryAfter !== undefined) return Math.max(0, err.retryAfter * 1000);
  const reset = Math.max(err.requestsResetAt ?? 0, err.complexityResetAt ?? 0);
  if (reset > 0) {
    const resetMs = reset < 1e12 ? reset * 1000 : reset;
    return Math.max(0, resetMs - Date.now());
  }
  return fallback;
}

function toTrackerError(err: unknown, sdk: Sdk, fallbackRetryMs: number): Error {
  if (err instanceof TrackerCallError || err instanceof TrackerRateLimitedError) return err;
  if (err instanceof sdk.RatelimitedLinearError)
    return new TrackerRateLimitedError(retryAfterMs(err, fallbackRetryMs));
  if (err instanceof sdk.LinearError) {
    const e = err as LinearError;
    return new TrackerCallError(`linear: ${e.message}`, PERMANENT.has(String(e.type)));
  }
  return new TrackerCallError(`linear: ${(err as Error).message ?? String(err)}`, false);
}
