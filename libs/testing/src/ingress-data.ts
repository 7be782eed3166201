import { randomUUID } from 'node:crypto';
import {
  DataOf,
  apiWorkItemCancel,
  apiWorkItemRetry,
  apiWorkItemStart,
  apiWorkItemCreate,
  githubPullRequest,
  githubPullRequestReview,
  linearAgentSession,
  linearIssueChanged,
  slackAppMention,
} from '@horizon/contracts';

/**
 * Ingress data as ingress normalizes it, shaped like the domain's routing fixtures
 * (`apps/orchestrator/src/domain/routing-table.fixtures.ts`), with fresh delivery ids so tests do not collide.
 */
function delivery(
  source: 'github' | 'api' | 'slack' | 'linear',
  event: string,
  action: string | null,
  deliveryId?: string,
) {
  return {
    source,
    deliveryId: deliveryId ?? `${source}-${event}-${randomUUID()}`,
    event,
    action,
    receivedAt: new Date().toISOString(),
  };
}

export const repository = { id: 186853002, owner: 'acme', name: 'billing', fullName: 'acme/billing' };
const human = { id: '21031067', login: 'octocat', type: 'User' as const };

export function createRequest(opts: {
  title: string;
  id?: string;
  blockedBy?: string[];
  autoStart?: boolean;
  repo?: string;
  priority?: number;
}): DataOf<typeof apiWorkItemCreate> {
  return {
    delivery: delivery('api', 'work_item_create', null),
    workItemId: opts.id ?? randomUUID(),
    repo: opts.repo ?? 'acme/billing',
    title: opts.title,
    description: `Acceptance: ${opts.title} works.`,
    kind: 'implement',
    ownerId: null,
    blockedBy: opts.blockedBy ?? [],
    autoStart: opts.autoStart ?? true,
    labels: ['backend'],
    priority: opts.priority ?? 3,
    requestedBy: 'cli:octocat',
  };
}

export function cancelRequest(workItemId: string, reason: string): DataOf<typeof apiWorkItemCancel> {
  return {
    delivery: delivery('api', 'work_item_cancel', null),
    workItemId,
    reason,
    requestedBy: 'cli:octocat',
  };
}

/** What ingress publishes when someone asks, in the console, for an ended item to be tried again. */
export function retryRequest(workItemId: string, requestedBy: string): DataOf<typeof apiWorkItemRetry> {
  return { delivery: delivery('api', 'work_item_retry', null), workItemId, requestedBy };
}

/** What ingress publishes when someone starts a planned item (the work API, the CLI, the console's Start). */
export function startRequest(workItemId: string, requestedBy: string): DataOf<typeof apiWorkItemStart> {
  return { delivery: delivery('api', 'work_item_start', null), workItemId, requestedBy };
}

function pullRequest(branch: string, number: number) {
  return {
    number,
    title: 'Add invoice totals endpoint',
    body: 'Co-authored-by: Horizon <horizon@example.com>',
    headRef: branch,
    headSha: '8f3c1e2d4b5a69788796a5b4c3d2e1f0a9b8c7d6',
    baseRef: 'main',
    author: 'horizon[bot]',
    htmlUrl: `https://github.com/acme/billing/pull/${number}`,
  };
}

export function pullRequestClosed(opts: {
  branch: string;
  number: number;
  merged: boolean;
  deliveryId?: string;
}): DataOf<typeof githubPullRequest> {
  return {
    delivery: delivery('github', 'pull_request', 'closed', opts.deliveryId),
    installationId: 57230341,
    repository,
    sender: human,
    action: 'closed',
    pullRequest: {
      ...pullRequest(opts.branch, opts.number),
      merged: opts.merged,
      mergedBy: opts.merged ? 'octocat' : null,
    },
  };
}

export function changesRequested(opts: {
  branch: string;
  number: number;
  body: string;
}): DataOf<typeof githubPullRequestReview> {
  return {
    delivery: delivery('github', 'pull_request_review', 'submitted'),
    installationId: 57230341,
    repository,
    sender: human,
    pullRequest: pullRequest(opts.branch, opts.number),
    review: {
      id: 2318790423,
      state: 'changes_requested',
      body: opts.body,
      author: 'octocat',
      htmlUrl: `https://github.com/acme/billing/pull/${opts.number}#pullrequestreview-2318790423`,
    },
  };
}

export function slackMention(text: string, channel = 'C05BILLING'): DataOf<typeof slackAppMention> {
  const threadTs = `${Math.floor(Date.now() / 1000)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  return {
    delivery: delivery('slack', 'app_mention', null),
    message: { teamId: 'T0ACME001', channel, user: 'U02OCTOCAT', text, ts: threadTs, threadTs },
  };
}

/** A Linear agent session created on an issue of team ENG (whose repo the test maps). */
export function linearSessionCreated(opts: {
  sessionId: string;
  issueId: string;
  title: string;
  description: string;
}): DataOf<typeof linearAgentSession> {
  return {
    delivery: delivery('linear', 'AgentSessionEvent', 'created'),
    organizationId: 'org-acme',
    action: 'created',
    agentSessionId: opts.sessionId,
    issue: {
      id: opts.issueId,
      identifier: 'ENG-1',
      title: opts.title,
      description: opts.description,
      url: 'https://linear.app/acme/issue/ENG-1',
      teamId: 'team-eng',
    },
    prompt: null,
    creatorId: 'user-octocat',
  };
}

/** A human moved a Linear issue to a started state. */
export function linearIssueStarted(issueId: string, title: string): DataOf<typeof linearIssueChanged> {
  return linearIssueMoved(issueId, title, { id: 'state-started', name: 'In Progress', type: 'started' });
}

/** A human moved a Linear issue to another workflow state. */
export function linearIssueMoved(
  issueId: string,
  title: string,
  to: { id: string; name: string; type: string },
): DataOf<typeof linearIssueChanged> {
  return {
    delivery: delivery('linear', 'Issue', 'update'),
    organizationId: 'org-acme',
    action: 'update',
    issue: {
      id: issueId,
      identifier: 'ENG-2',
      title,
      description: null,
      url: null,
      teamId: 'team-eng',
      projectId: 'project-1',
      stateId: to.id,
      stateName: to.name,
      stateType: to.type,
      assigneeId: null,
      delegateId: null,
      labels: [],
    },
    actorId: 'user-octocat',
    changes: { state: { fromId: 'state-todo', toId: to.id } },
  };
}
