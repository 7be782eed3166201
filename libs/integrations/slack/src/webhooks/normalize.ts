import {
  NormalizedWebhook,
  WebhookHeaders,
  acceptDelivery,
  slackAppMention,
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
  const type = String((body as { type?: unknown }).type);
  if (type === 'url_verification')
    return { kind: 'challenge', challenge: String((body as { challenge?: unknown }).challenge) };
  if (type !== 'event_callback')
    return { kind: 'ignored', event: type, reason: `Slack ${type} payloads are not handled` };

  const callback = body as SlackEventCallback;
  const { event } = callback;
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
