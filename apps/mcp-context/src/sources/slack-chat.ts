import { LogLevel, WebClient } from '@slack/web-api';
import type { ConversationsRepliesResponse } from '@slack/web-api';
import { ChatMessage } from './records';
import { ChatSource, MAX_SOURCE_ITEMS, SourceNotFound } from './ports';

export interface SlackChatOptions {
  token: string;
  /** Slack's Web API root; tests point it at a stand-in. */
  apiUrl?: string;
}

/** Slack threads through `conversations.replies`, following its cursor. */
export class SlackChat implements ChatSource {
  readonly name = 'slack';
  private readonly client: WebClient;

  constructor(options: SlackChatOptions) {
    this.client = new WebClient(options.token, {
      slackApiUrl: options.apiUrl ?? 'https://slack.com/api/',
      retryConfig: { retries: 1 },
      timeout: 10_000,
      logLevel: LogLevel.ERROR,
    });
  }

  async getThread(channel: string, threadTs: string): Promise<ChatMessage[]> {
    const messages: ChatMessage[] = [];
    let cursor: string | undefined;
    try {
      do {
        const page: ConversationsRepliesResponse = await this.client.conversations.replies({
          channel,
          ts: threadTs,
          limit: 200,
          cursor,
        });
        for (const m of page.messages ?? []) {
          if (!m.ts) continue;
          messages.push({
            ts: m.ts,
            author: m.user ?? m.bot_profile?.name ?? null,
            isBot: !!m.bot_id,
            text: m.text ?? '',
            threadTs: m.thread_ts ?? null,
          });
        }
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor && messages.length < MAX_SOURCE_ITEMS);
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      if (code === 'thread_not_found' || code === 'channel_not_found')
        throw new SourceNotFound(`slack: ${code} (${channel} ${threadTs})`);
      throw new Error(`slack: ${code ?? (err as Error).message}`);
    }
    return messages;
  }
}
