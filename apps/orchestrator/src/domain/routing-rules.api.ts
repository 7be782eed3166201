import { on, RoutingRule } from './routing-rule';

/** The work API, named webhook triggers and schedules: each asks for exactly one thing. */
export const apiRules: readonly RoutingRule[] = [
  on(
    'hzn.ingress.api.work_item_create',
    'api-create',
    () => true,
    (data) => ({ type: 'create_work_item', request: data }),
  ),
  on(
    'hzn.ingress.api.work_item_cancel',
    'api-cancel',
    () => true,
    (data) => ({
      type: 'cancel_work_item',
      workItemId: data.workItemId,
      reason: data.reason,
      requestedBy: data.requestedBy,
    }),
  ),
  on(
    'hzn.ingress.api.work_item_follow_up',
    'api-follow-up',
    () => true,
    (data) => ({
      type: 'follow_up_work_item',
      workItemId: data.workItemId,
      text: data.text,
      origin: data.origin,
      author: data.author,
    }),
  ),
  on(
    'hzn.ingress.api.work_item_retry',
    'api-retry',
    () => true,
    (data) => ({ type: 'retry_work_item', workItemId: data.workItemId, requestedBy: data.requestedBy }),
  ),
  on(
    'hzn.ingress.api.work_item_start',
    'api-start',
    () => true,
    (data) => ({ type: 'start_work_item', workItemId: data.workItemId, requestedBy: data.requestedBy }),
  ),
  on(
    'hzn.ingress.api.work_item_budget_answer',
    'api-budget-answer',
    () => true,
    (data) => ({
      type: 'answer_budget',
      workItemId: data.workItemId,
      action: data.action,
      extra: data.extra,
      requestedBy: data.requestedBy,
    }),
  ),

  on(
    'hzn.ingress.trigger.fired',
    'webhook-trigger-fired',
    () => true,
    (data) => ({ type: 'start_triggered_work', firing: data }),
  ),

  on(
    'hzn.ingress.schedule.fired',
    'schedule-tick',
    () => true,
    (data) => ({ type: 'start_scheduled_run', firing: data }),
  ),
];
