import { on, ignore, RoutingRule } from './routing-rule';

/** Linear changes made by Horizon's own app user start nothing (read before every other rule). */
export const linearGuardRules: readonly RoutingRule[] = [
  on(
    'hzn.ingress.linear.issue',
    'ignore-own-linear-changes',
    (data, context) => data.actorId === context.linearAppUserId,
    () => ignore('changed by Horizon itself'),
  ),
];

export const linearRules: readonly RoutingRule[] = [
  on(
    'hzn.ingress.linear.agent_session',
    'linear-session-created',
    (data) => data.action === 'created',
    (data) => ({
      type: 'start_plan_run',
      organizationId: data.organizationId,
      agentSessionId: data.agentSessionId,
      issue: data.issue,
      prompt: data.prompt,
      creatorId: data.creatorId,
    }),
  ),
  on(
    'hzn.ingress.linear.agent_session',
    'linear-session-prompted',
    (data) => data.action === 'prompted',
    (data) => ({
      type: 'continue_session',
      organizationId: data.organizationId,
      agentSessionId: data.agentSessionId,
      prompt: data.prompt,
      issue: data.issue,
    }),
  ),
  on(
    'hzn.ingress.linear.issue',
    'linear-issue-delegated-to-horizon',
    (data, context) =>
      data.changes.delegate !== undefined &&
      data.changes.delegate.toId === context.linearAppUserId &&
      data.changes.delegate.fromId !== context.linearAppUserId,
    (data) => ({
      type: 'start_implement_run',
      organizationId: data.organizationId,
      issue: data.issue,
      trigger: 'delegated',
      actorId: data.actorId,
    }),
  ),
  on(
    'hzn.ingress.linear.issue',
    'linear-issue-started',
    (data) =>
      data.action === 'update' &&
      data.changes.state !== undefined &&
      data.changes.state.fromId !== data.changes.state.toId &&
      data.issue.stateType === 'started',
    (data) => ({
      type: 'start_implement_run',
      organizationId: data.organizationId,
      issue: data.issue,
      trigger: 'started',
      actorId: data.actorId,
    }),
  ),
  on(
    'hzn.ingress.linear.issue',
    'linear-issue-canceled',
    (data) =>
      data.action === 'update' &&
      data.changes.state !== undefined &&
      data.changes.state.fromId !== data.changes.state.toId &&
      data.issue.stateType === 'canceled',
    (data) => ({ type: 'cancel_tracker_issue', issue: data.issue, actorId: data.actorId }),
  ),
];
