import { SlackThreadRef } from './routing-decision';
import { ignore, on, RoutingRule, threadKey } from './routing-rule';

function thread(message: SlackThreadRef): SlackThreadRef {
  return { teamId: message.teamId, channel: message.channel, threadTs: message.threadTs };
}

export const slackRules: readonly RoutingRule[] = [
  on(
    'hzn.ingress.slack.budget_answer',
    'slack-budget-answer',
    () => true,
    (data) => ({
      type: 'answer_budget',
      workItemId: data.workItemId,
      action: data.action,
      extra: data.extra,
      requestedBy: `slack:${data.user}`,
      fromOwnerOnly: { provider: 'slack', externalId: data.user },
      holdSince: data.holdSince,
    }),
  ),
  on(
    'hzn.ingress.slack.app_mention',
    'slack-mention-in-active-thread',
    (data, context) => context.activeThreadRuns.has(threadKey(data.message)),
    (data) => ({ type: 'follow_up_prompt', thread: thread(data.message), message: data.message }),
  ),
  on(
    'hzn.ingress.slack.app_mention',
    'slack-mention',
    () => true,
    (data) => ({ type: 'start_thread_run', thread: thread(data.message), message: data.message }),
  ),
  on(
    'hzn.ingress.slack.thread_message',
    'slack-reply-mentioning-bot',
    (data, context) => data.message.text.includes(`<@${context.slackBotUserId}>`),
    () => ignore('the app_mention delivery of the same message is routed instead'),
  ),
  on(
    'hzn.ingress.slack.thread_message',
    'slack-reply-in-active-thread',
    (data, context) => context.activeThreadRuns.has(threadKey(data.message)),
    (data) => ({ type: 'follow_up_prompt', thread: thread(data.message), message: data.message }),
  ),
];
