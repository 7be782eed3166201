import { ChatCallError } from '@horizon/integrations-slack';
import type { ChatPort } from '@horizon/integrations-slack';
import { ChatMessage } from '../domain/records';
import { ChatSource, MAX_SOURCE_ITEMS, SourceNotFound } from './ports';

/** Chat threads for the tools, read through the chat port of `libs/integrations/slack`. */
export class ChatThreads implements ChatSource {
  constructor(
    readonly name: string,
    private readonly chat: Pick<ChatPort, 'readThread'>,
  ) {}

  async getThread(channel: string, threadTs: string): Promise<ChatMessage[]> {
    const messages = await this.chat
      .readThread(channel, threadTs, { maxMessages: MAX_SOURCE_ITEMS })
      .catch((err: unknown) => {
        if (
          err instanceof ChatCallError &&
          (err.code === 'thread_not_found' || err.code === 'channel_not_found')
        )
          throw new SourceNotFound(`${this.name}: ${err.code} (${channel} ${threadTs})`);
        throw err;
      });
    return messages.map((m) => ({
      ts: m.ts,
      author: m.user ?? m.botName ?? null,
      isBot: !!m.botId,
      text: m.text,
      threadTs: m.threadTs ?? null,
    }));
  }
}
