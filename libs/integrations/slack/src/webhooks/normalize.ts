import {
  NormalizedWebhook,
  SLACK_BUDGET_ACTIONS,
  WebhookHeaders,
  acceptDelivery,
  slackAppMention,
  slackBudgetAnswer,
  slackBudgetButtonSchema,
  slackThreadMessage,
} from '@horizon/contracts';

interface SlackMessageEvent {
  type: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
}
interface SlackEventCallback {
  type: 'event_callback';
  team_id: string;
  event_id: string;
  event: SlackMessageEvent;
  authorizations?: { user_id: string; is_bot: boolean }[];
}

interface SlackBlockActions {
  type: 'block_actions';
  team?: { id: string };
  user?: { id: string };
  trigger_id?: string;
  actions?: { action_id: string; value?: string; action_ts: string }[];
}

export interface SlackNormalizeOptions {
  /** The bot's own user id, when known; the bot authorizations in the payload are used as well. */
  botUserId?: string;
}

/**
 * Turns a verified Slack body (see `parseSlackBody`) into its ingress contract. The delivery id is
 * the Events API `event_id`, which Slack keeps across retries (`X-Slack-Retry-Num`), so a retry is
 * the same delivery. Headers are taken for symmetry with the other sources; none is needed.
 */
export function normalizeSlackWebhook(
  _headers: WebhookHeaders,
  body: unknown,
  receivedAt: Date,
  options: SlackNormalizeOptions = {},
): NormalizedWebhook {
  if (typeof body !== 'object' || body === null) throw new Error('Slack delivery has no JSON object body');
  const type = (body as { type?: unknown }).type;
  if (typeof type !== 'string') throw new Error('Slack delivery has no string `type`');
  if (type === 'url_verification') {
    const { challenge } = body as { challenge?: unknown };
    if (typeof challenge !== 'string') throw new Error('Slack url_verification has no string `challenge`');
    return { kind: 'challenge', challenge };
  }
  if (type === 'block_actions') return normalizeBlockActions(body as SlackBlockActions, receivedAt);
  if (type !== 'event_callback')
    return { kind: 'ignored', event: type, reason: `Slack ${type} payloads are not handled` };

  const callback = body as SlackEventCallback;
  const { event } = callback;
  if (typeof event !== 'object' || event === null || typeof event.type !== 'string')
    throw new Error('Slack event_callback has no event with a string `type`');
  if (event.type !== 'app_mention' && event.type !== 'message') {
    return { kind: 'ignored', event: event.type, reason: `event ${event.type} is not handled` };
  }
  const skip = reasonToSkip(callback, options);
  if (skip) return { kind: 'ignored', event: event.type, reason: skip };

  const data = {
    delivery: {
      source: 'slack' as const,
      deliveryId: callback.event_id,
      event: event.type,
      action: null,
      receivedAt: receivedAt.toISOString(),
    },
    message: {
      teamId: callback.team_id,
      channel: event.channel,
      user: event.user ?? '',
      text: event.text ?? '',
      ts: event.ts,
      threadTs: event.thread_ts ?? event.ts,
    },
  };
  return acceptDelivery(
    event.type === 'app_mention' ? slackAppMention : slackThreadMessage,
    callback.event_id,
    data,
  );
}

/** Why a message is not work for us: edits, deletions and other subtypes, bots (ourselves included), top-level chatter. */
function reasonToSkip(
  { event, authorizations = [] }: SlackEventCallback,
  options: SlackNormalizeOptions,
): string | undefined {
  const botUsers = new Set(authorizations.filter((a) => a.is_bot).map((a) => a.user_id));
  if (options.botUserId) botUsers.add(options.botUserId);
  if (event.user && botUsers.has(event.user)) return `${event.type} from the bot itself`;
  if (event.bot_id || event.subtype === 'bot_message')
    return `${event.type} from a bot (${event.bot_id ?? 'bot_message'})`;
  if (event.subtype) return `${event.type} subtype ${event.subtype} is not handled`;
  if (!event.user) return `${event.type} without a user`;
  if (event.type === 'message' && (!event.thread_ts || event.thread_ts === event.ts))
    return 'message is not a thread reply';
  return undefined;
}

/**
 * A button pressed on a message: Continue or Stop on the budget question becomes its answer; any
 * other button is not ours. The delivery id is the press's `trigger_id`: Slack does not retry
 * interactions, and a second press is a second answer.
 */
function normalizeBlockActions(payload: SlackBlockActions, receivedAt: Date): NormalizedWebhook {
  const action = payload.actions?.[0];
  const answer =
    action?.action_id === SLACK_BUDGET_ACTIONS.continue
      ? ('continue' as const)
      : action?.action_id === SLACK_BUDGET_ACTIONS.stop
        ? ('stop' as const)
        : null;
  if (!action || !answer)
    return {
      kind: 'ignored',
      event: 'block_actions',
      reason: `action ${action?.action_id ?? '(none)'} is not handled`,
    };
  if (!payload.user?.id) throw new Error('Slack block_actions payload has no user');
  let button: unknown;
  try {
    button = JSON.parse(action.value ?? '');
  } catch {
    throw new Error(`Slack ${action.action_id} button value is not JSON`);
  }
  const value = slackBudgetButtonSchema.parse(button);
  if (!payload.trigger_id) throw new Error('Slack block_actions payload has no trigger_id');
  const deliveryId = payload.trigger_id;
  return acceptDelivery(slackBudgetAnswer, deliveryId, {
    delivery: {
      source: 'slack' as const,
      deliveryId,
      event: 'block_actions',
      action: action.action_id,
      receivedAt: receivedAt.toISOString(),
    },
    workItemId: value.workItemId,
    action: answer,
    extra: {
      tokens: answer === 'continue' ? (value.extraTokens ?? null) : null,
      costUsd: answer === 'continue' ? (value.extraUsd ?? null) : null,
      minutes: answer === 'continue' ? (value.extraMinutes ?? null) : null,
    },
    teamId: payload.team?.id ?? '',
    user: payload.user.id,
    holdSince: null,
  });
}
