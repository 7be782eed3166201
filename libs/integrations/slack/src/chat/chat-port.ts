/**
 * What Horizon needs from a chat service: answer in a thread, edit that answer in place,
 * read a thread back. Slack implements it (`createSlackChat`); a local chat could later.
 */
export interface ChatPort {
  /** Posts into `channel` (in the thread `threadTs` when given); returns the new message's `ts`. */
  post(message: ChatPost): Promise<{ channel: string; ts: string }>;
  /** Replaces the text of the message `ts` (Slack `chat.update`). */
  update(message: { channel: string; ts: string; text: string }): Promise<void>;
  /**
   * The thread's messages, oldest first, with the metadata Horizon attached to its own; with
   * `maxMessages`, reading stops at the first page that reaches it.
   */
  readThread(channel: string, threadTs: string, options?: { maxMessages?: number }): Promise<ChatMessage[]>;
}

export interface ChatPost {
  channel: string;
  threadTs?: string;
  /** Slack mrkdwn. */
  text: string;
  /** Buttons under the text; pressing one sends a signed block_actions interaction to the app. */
  buttons?: ChatButton[];
  /** Attached to the message as Slack message metadata, readable again through `readThread`. */
  metadata?: { eventType: string; payload: Record<string, string> };
}

export interface ChatButton {
  actionId: string;
  label: string;
  value: string;
  style?: 'primary' | 'danger';
}

export interface ChatMessage {
  ts: string;
  text: string;
  user?: string;
  botId?: string;
  /** The posting app's name, for a bot's message. */
  botName?: string;
  threadTs?: string;
  metadata?: { eventType: string; payload: Record<string, unknown> };
}

/** The service asked us to slow down: try again after `retryAfterMs`. */
export class ChatRateLimitedError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`rate limited: retry after ${retryAfterMs} ms`);
    this.name = 'ChatRateLimitedError';
  }
}

/** The service refused the call; `permanent` when retrying the same call cannot succeed. */
export class ChatCallError extends Error {
  constructor(
    readonly code: string,
    readonly permanent: boolean,
    message = code,
  ) {
    super(message);
    this.name = 'ChatCallError';
  }
}
