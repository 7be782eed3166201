import { IngressEvent, parseIngressEvent } from './ingress-event';
import type { RoutingDecision } from './routing-decision';
import { KnownPullRequest, pullRequestKey, route, RoutingContext, routingDefaults } from './routing-table';

/**
 * Normalized ingress events for routing specs, shaped after GitHub's, Linear's and Slack's
 * documented payloads. Each goes through `parseIngressEvent`, so a fixture that drifts from
 * its contract fails the spec instead of passing it.
 */

export const botLogin = 'horizon-dev[bot]';
export const linearAppUserId = '5e4d0c8a-7f1b-4f5e-9a2d-1c3b5a7e9f01';
export const slackBotUserId = 'U07HZNBOT';

function delivery(
  source: 'github' | 'linear' | 'slack' | 'api' | 'trigger' | 'schedule',
  event: string,
  action: string | null,
) {
  return {
    source,
    deliveryId: `${source}-${event}-${action ?? 'none'}-1`,
    event,
    action,
    receivedAt: '2026-11-24T10:15:30.000Z',
  };
}

const repository = { id: 186853002, owner: 'acme', name: 'billing', fullName: 'acme/billing' };
const human = { id: '21031067', login: 'octocat', type: 'User' as const };

function pullRequest(headRef: string) {
  return {
    number: 42,
    title: 'HZN-12: Add invoice totals endpoint',
    body: 'Implements HZN-12.\n\nCo-authored-by: Horizon <horizon@example.com>',
    headRef,
    headSha: '8f3c1e2d4b5a69788796a5b4c3d2e1f0a9b8c7d6',
    baseRef: 'main',
    author: botLogin,
    htmlUrl: 'https://github.com/acme/billing/pull/42',
  };
}

type GithubActor = { id: string; login: string; type: 'User' | 'Bot' | 'Organization' };

const githubBase = (event: string, action: string | null, sender: GithubActor = human) => ({
  delivery: delivery('github', event, action),
  installationId: 57230341,
  repository,
  sender,
});

export function prClosed(opts: { merged: boolean; headRef?: string }): IngressEvent {
  return parseIngressEvent({
    subject: 'hzn.ingress.github.pull_request',
    data: {
      ...githubBase('pull_request', 'closed'),
      action: 'closed',
      pullRequest: {
        ...pullRequest(opts.headRef ?? 'horizon/hzn-12-invoice-totals'),
        merged: opts.merged,
        mergedBy: opts.merged ? 'octocat' : null,
      },
    },
  });
}

export function prOpened(
  headRef = 'horizon/hzn-12-invoice-totals',
  action: 'opened' | 'synchronize' = 'opened',
): IngressEvent {
  const sender = headRef.startsWith('horizon/') ? { id: '1', login: botLogin, type: 'Bot' as const } : human;
  return parseIngressEvent({
    subject: 'hzn.ingress.github.pull_request',
    data: {
      ...githubBase('pull_request', action, sender),
      action,
      pullRequest: {
        ...pullRequest(headRef),
        ...(sender === human ? { author: human.login } : {}),
        merged: false,
        mergedBy: null,
      },
    },
  });
}

export function review(opts: {
  state: 'approved' | 'changes_requested' | 'commented' | 'dismissed';
  body: string | null;
  headRef?: string;
  author?: string;
}): IngressEvent {
  const author = opts.author ?? 'octocat';
  return parseIngressEvent({
    subject: 'hzn.ingress.github.pull_request_review',
    data: {
      ...githubBase('pull_request_review', 'submitted', { ...human, login: author }),
      pullRequest: pullRequest(opts.headRef ?? 'horizon/hzn-12-invoice-totals'),
      review: {
        id: 2318790423,
        state: opts.state,
        body: opts.body,
        author,
        htmlUrl: 'https://github.com/acme/billing/pull/42#pullrequestreview-2318790423',
      },
    },
  });
}

export function reviewComment(opts: { body: string; headRef?: string; author?: string }): IngressEvent {
  const author = opts.author ?? 'octocat';
  return parseIngressEvent({
    subject: 'hzn.ingress.github.pull_request_review_comment',
    data: {
      ...githubBase('pull_request_review_comment', 'created', { ...human, login: author }),
      pullRequest: pullRequest(opts.headRef ?? 'horizon/hzn-12-invoice-totals'),
      comment: {
        id: 1797431577,
        body: opts.body,
        path: 'src/invoices/totals.ts',
        line: 18,
        author,
        htmlUrl: 'https://github.com/acme/billing/pull/42#discussion_r1797431577',
      },
    },
  });
}

export function issueComment(opts: {
  body: string;
  isPullRequest?: boolean;
  number?: number;
  author?: string;
}): IngressEvent {
  const author = opts.author ?? 'octocat';
  const number = opts.number ?? 42;
  return parseIngressEvent({
    subject: 'hzn.ingress.github.issue_comment',
    data: {
      ...githubBase('issue_comment', 'created', { ...human, login: author }),
      issue: {
        number,
        title: 'HZN-12: Add invoice totals endpoint',
        isPullRequest: opts.isPullRequest ?? true,
        htmlUrl: `https://github.com/acme/billing/pull/${number}`,
      },
      comment: {
        id: 2410954113,
        body: opts.body,
        author,
        htmlUrl: `https://github.com/acme/billing/pull/${number}#issuecomment-2410954113`,
      },
    },
  });
}

/** A completed check on PR #42's head (a check run unless `kind` says otherwise). */
export function checkCompleted(
  opts: {
    kind?: 'check_run' | 'check_suite' | 'workflow_run' | 'status';
    name?: string;
    conclusion?: string | null;
    status?: string;
    headBranch?: string | null;
    pullRequestNumbers?: number[];
  } = {},
): IngressEvent {
  const kind = opts.kind ?? 'check_run';
  return parseIngressEvent({
    subject: 'hzn.ingress.github.check',
    data: {
      ...githubBase(kind, kind === 'status' ? null : 'completed'),
      check: {
        kind,
        id: 4118906254,
        name: opts.name ?? 'test (20.x)',
        status: opts.status ?? 'completed',
        conclusion: opts.conclusion === undefined ? 'failure' : opts.conclusion,
        headSha: '8f3c1e2d4b5a69788796a5b4c3d2e1f0a9b8c7d6',
        headBranch: opts.headBranch === undefined ? 'horizon/hzn-12-invoice-totals' : opts.headBranch,
        pullRequestNumbers: opts.pullRequestNumbers ?? [42],
      },
    },
  });
}

export function githubPing(): IngressEvent {
  return parseIngressEvent({
    subject: 'hzn.ingress.github.ping',
    data: { ...githubBase('ping', null), hookId: 109948940, zen: 'Responsive is better than fast.' },
  });
}

const linearIssue = {
  id: '9cfb482a-81e3-4154-b5b9-2c805e70a02d',
  identifier: 'HZN-12',
  title: 'Add invoice totals endpoint',
  description: 'Sum the line items of an invoice.\n\n## Acceptance criteria\n- GET /invoices/:id/totals',
  url: 'https://linear.app/acme/issue/HZN-12/add-invoice-totals-endpoint',
  teamId: '72b2a2dc-6f4f-4423-9d34-24b5bd10634a',
  projectId: 'e9f1c2d3-4b5a-4c6d-8e7f-0a1b2c3d4e5f',
  stateId: 'a1b2c3d4-0000-4000-8000-00000000aaaa',
  stateName: 'In Progress',
  stateType: 'started',
  assigneeId: 'b7c8d9e0-1111-4111-8111-111111111111',
  delegateId: null,
  labels: ['backend'],
};

export function agentSession(action: 'created' | 'prompted', prompt: string | null = null): IngressEvent {
  return parseIngressEvent({
    subject: 'hzn.ingress.linear.agent_session',
    data: {
      delivery: delivery('linear', 'AgentSessionEvent', action),
      organizationId: 'c0ffee00-1234-4abc-9def-0123456789ab',
      action,
      agentSessionId: 'f5a3c9e1-2b4d-4e6f-8a0b-1c2d3e4f5a6b',
      issue: linearIssue,
      prompt,
      creatorId: 'b7c8d9e0-1111-4111-8111-111111111111',
    },
  });
}

type IssueChanges = {
  state?: { fromId: string | null; toId: string | null };
  delegate?: { fromId: string | null; toId: string | null };
  relations?: boolean;
};

export function linearIssueUpdate(opts: {
  changes: IssueChanges;
  stateType?: string;
  delegateId?: string | null;
  actorId?: string;
  action?: 'create' | 'update';
}): IngressEvent {
  const action = opts.action ?? 'update';
  return parseIngressEvent({
    subject: 'hzn.ingress.linear.issue',
    data: {
      delivery: delivery('linear', 'Issue', action),
      organizationId: 'c0ffee00-1234-4abc-9def-0123456789ab',
      action,
      issue: { ...linearIssue, stateType: opts.stateType ?? 'started', delegateId: opts.delegateId ?? null },
      actorId: opts.actorId ?? 'b7c8d9e0-1111-4111-8111-111111111111',
      changes: opts.changes,
    },
  });
}

export const slackThread = { teamId: 'T0ACME001', channel: 'C05BILLING', threadTs: '1732443330.001200' };

function slackMessage(text: string, ts: string) {
  return { ...slackThread, user: 'U02OCTOCAT', text, ts };
}

export function slackMention(text = `<@${slackBotUserId}> why does the totals test flake?`): IngressEvent {
  return parseIngressEvent({
    subject: 'hzn.ingress.slack.app_mention',
    data: {
      delivery: delivery('slack', 'app_mention', null),
      message: slackMessage(text, slackThread.threadTs),
    },
  });
}

export function slackReply(text: string): IngressEvent {
  return parseIngressEvent({
    subject: 'hzn.ingress.slack.thread_message',
    data: { delivery: delivery('slack', 'message', null), message: slackMessage(text, '1732443390.004500') },
  });
}

export const apiCreateData = {
  delivery: delivery('api', 'work_item_create', null),
  workItemId: '3d6f0a57-9a8b-4c1d-8e2f-7a6b5c4d3e2f',
  repo: 'acme/billing',
  title: 'Add invoice totals endpoint',
  description: 'Sum the line items of an invoice.',
  kind: 'implement' as const,
  ownerId: null,
  blockedBy: [],
  autoStart: true,
  labels: ['backend'],
  priority: 3,
  requestedBy: 'cli:octocat',
};

export function apiCreate(): IngressEvent {
  return parseIngressEvent({ subject: 'hzn.ingress.api.work_item_create', data: apiCreateData });
}

export function apiCancel(): IngressEvent {
  return parseIngressEvent({
    subject: 'hzn.ingress.api.work_item_cancel',
    data: {
      delivery: delivery('api', 'work_item_cancel', null),
      workItemId: apiCreateData.workItemId,
      reason: 'superseded by HZN-14',
      requestedBy: 'cli:octocat',
    },
  });
}

export const triggerFiredData = {
  delivery: delivery('trigger', 'event_alert', 'triggered'),
  trigger: { id: '0b7e2f4a-1c3d-4e5f-8a9b-0c1d2e3f4a5b', name: 'sentry-frontend', format: 'sentry' as const },
  workItemId: '6a1f2e3d-4c5b-4a69-8877-665544332211',
  repo: 'acme/frontend',
  kind: 'implement' as const,
  title: 'Sentry: ReferenceError: heck is not defined',
  description: 'Investigate the issue alert "Very Important Alert Rule!".',
  labels: ['sentry'],
};

export function triggerFired(): IngressEvent {
  return parseIngressEvent({ subject: 'hzn.ingress.trigger.fired', data: triggerFiredData });
}

export function apiFollowUp(): IngressEvent {
  return parseIngressEvent({
    subject: 'hzn.ingress.api.work_item_follow_up',
    data: {
      delivery: delivery('api', 'work_item_follow_up', null),
      workItemId: apiCreateData.workItemId,
      text: 'Keep the old endpoint working too.',
      origin: 'console',
      author: 'ada',
    },
  });
}

export function apiRetry(): IngressEvent {
  return parseIngressEvent({
    subject: 'hzn.ingress.api.work_item_retry',
    data: {
      delivery: delivery('api', 'work_item_retry', null),
      workItemId: apiCreateData.workItemId,
      requestedBy: 'console:ada',
    },
  });
}

export function apiStart(): IngressEvent {
  return parseIngressEvent({
    subject: 'hzn.ingress.api.work_item_start',
    data: {
      delivery: delivery('api', 'work_item_start', null),
      workItemId: apiCreateData.workItemId,
      requestedBy: 'api-token:7c1e',
    },
  });
}

// The routing context and decisions the specs share.

export const scheduleFiredData = {
  delivery: delivery('schedule', 'schedule_fired', null),
  scheduleId: '0b8f6a3e-5d4c-4b2a-9e1f-7c6d5e4f3a2b',
  name: 'nightly-deps',
  repo: 'acme/billing',
  origin: 'config' as const,
  tickAt: '2026-11-24T02:00:00.000Z',
  skippedTicks: 0,
  workItemId: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d',
  title: 'Update dependencies',
  prompt: 'Bump patch versions and run the tests.',
  flavour: 'implement' as const,
  ownerId: null,
};

export function scheduleFired(): IngressEvent {
  return parseIngressEvent({ subject: 'hzn.ingress.schedule.fired', data: scheduleFiredData });
}

export const workItemId = '3d6f0a57-9a8b-4c1d-8e2f-7a6b5c4d3e2f';

export function context(overrides: Partial<RoutingContext> = {}): RoutingContext {
  return {
    botLogin,
    mentionHandle: routingDefaults.mentionHandle,
    branchPrefix: routingDefaults.branchPrefix,
    linearAppUserId,
    slackBotUserId,
    activeThreadRuns: new Set(),
    knownPullRequests: new Map(),
    ...overrides,
  };
}

export function known(branch = 'feature/totals'): Map<string, KnownPullRequest> {
  return new Map([[pullRequestKey('acme/billing', 42), { branch, workItemId }]]);
}

export function decide(
  event: ReturnType<typeof prClosed>,
  ctx = context(),
): RoutingDecision & { rule: string } {
  const outcome = route(event, ctx);
  return { ...outcome.decision, rule: outcome.rule };
}
