import { z } from 'zod';
import { chatMessageSchema } from '../../../domain/records';
import { cursorInput, limitInput } from '../../../domain/paging';
import { defineTool, page, pagedItem, pageOutput } from '../tool';

export const chatGetThread = defineTool({
  name: 'chat_get_thread',
  title: 'Chat thread',
  description: "A chat thread's messages, oldest first, the parent message included.",
  scope: 'chat:read',
  available: (s) => !!s.chat,
  input: {
    channel: z.string().min(1).describe('Channel id, e.g. C0123ABCD'),
    threadTs: z.string().min(1).describe("The thread parent's ts, e.g. 1712345678.000100"),
    cursor: cursorInput,
    limit: limitInput,
  },
  output: {
    source: z.string(),
    channel: z.string(),
    threadTs: z.string(),
    items: z.array(pagedItem(chatMessageSchema)),
    ...pageOutput,
  },
  async run(args, ctx) {
    const chat = ctx.sources.chat!;
    const messages = await chat.getThread(args.channel, args.threadTs);
    const frame = { source: chat.name, channel: args.channel, threadTs: args.threadTs };
    return { ...frame, ...page('chat_get_thread', args, messages, 'text', ctx, frame) };
  },
});

export const chatTools = [chatGetThread];
