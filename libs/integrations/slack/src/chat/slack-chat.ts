import { ErrorCode, LogLevel, WebClient } from '@slack/web-api';
import type { ConversationsRepliesResponse } from '@slack/web-api';
import { ChatCallError, ChatMessage, ChatPort, ChatPost, ChatRateLimitedError } from './chat-port';

export interface SlackChatOptions {
  /** The bot token (`xoxb-…`). */
  token: string;
  /** Slack's Web API base URL; tests point it at the stand-in. */
  slackApiUrl?: string;
  /** Per-call timeout (default 10 s). */
  timeoutMs?: number;
}

/** Errors Slack answers that no retry of the same call can fix. */
const PERMANENT_ERRORS = new Set([
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'missing_scope',
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'thread_not_found',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'msg_too_long',
  'no_text',
  'invalid_arguments',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'invalid_trigger_id',
  'expired_trigger_id',
  'exchanged_trigger_id',
]);

/**
 * The ChatPort on `@slack/web-api`. The client's own retries are off and rate-limited calls
 * are rejected: the caller (the notifier) owns retries, so a 429's `Retry-After` becomes a
 * delayed redelivery instead of a request parked inside the client.
 */
export function createSlackChat(options: SlackChatOptions): ChatPort {
  const client = slackWebClient(options);

  return {
    async post(message: ChatPost) {
      const res = await slackCall(() =>
        client.chat.postMessage({
          channel: message.channel,
          text: message.text,
          mrkdwn: true,
          ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
          ...(message.buttons?.length
            ? {
                // The text stays the notification's fallback; the blocks show it with the buttons.
                blocks: [
                  { type: 'section', text: { type: 'mrkdwn', text: message.text } },
                  {
                    type: 'actions',
                    elements: message.buttons.map((button) => ({
                      type: 'button',
                      action_id: button.actionId,
                      text: { type: 'plain_text', text: button.label },
                      value: button.value,
                      ...(button.style ? { style: button.style } : {}),
                    })),
                  },
                ],
              }
            : {}),
          ...(message.metadata
            ? {
                metadata: { event_type: message.metadata.eventType, event_payload: message.metadata.payload },
              }
            : {}),
        }),
      );
      if (!res.ts || !res.channel)
        throw new ChatCallError('invalid_response', false, 'chat.postMessage answered without ts');
      return { channel: res.channel, ts: res.ts };
    },

    async update(message) {
      await slackCall(() =>
        client.chat.update({ channel: message.channel, ts: message.ts, text: message.text }),
      );
    },

    async readThread(channel, threadTs, options = {}) {
      const messages: ChatMessage[] = [];
      let cursor: string | undefined;
      do {
        const page: ConversationsRepliesResponse = await slackCall(() =>
          client.conversations.replies({
            channel,
            ts: threadTs,
            include_all_metadata: true,
            limit: 200,
            cursor,
          }),
        );
        for (const m of page.messages ?? []) {
          if (!m.ts) continue;
          messages.push({
            ts: m.ts,
            text: m.text ?? '',
            user: m.user,
            botId: m.bot_id,
            botName: m.bot_profile?.name,
            threadTs: m.thread_ts,
            metadata: m.metadata?.event_type
              ? {
                  eventType: m.metadata.event_type,
                  payload: (m.metadata.event_payload ?? {}) as Record<string, unknown>,
                }
              : undefined,
          });
        }
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor && messages.length < (options.maxMessages ?? Infinity));
      return messages;
    },
  };
}

/** The Web API client without its own retries (see `createSlackChat`). */
export function slackWebClient(options: SlackChatOptions): WebClient {
  return new WebClient(options.token, {
    slackApiUrl: options.slackApiUrl ?? 'https://slack.com/api/',
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 10_000,
    logLevel: LogLevel.ERROR,
  });
}

/** Runs one Web API call, turning the client's errors into the port's two kinds. */
export async function slackCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as {
      code?: string;
      retryAfter?: number;
      data?: { error?: string };
      statusCode?: number;
      message?: string;
    };
    if (e.code === ErrorCode.RateLimitedError) throw new ChatRateLimitedError((e.retryAfter ?? 1) * 1000);
    if (e.code === ErrorCode.PlatformError) {
      const code = e.data?.error ?? 'unknown_error';
      if (code === 'ratelimited') throw new ChatRateLimitedError(1000);
      throw new ChatCallError(code, PERMANENT_ERRORS.has(code), `slack: ${code}`);
    }
    if (e.code === ErrorCode.HTTPError) {
      const status = e.statusCode ?? 0;
      throw new ChatCallError(`http_${status}`, status >= 400 && status < 500, `slack: HTTP ${status}`);
    }
    throw new ChatCallError('request_failed', false, `slack: ${e.message ?? String(err)}`);
  }
}
