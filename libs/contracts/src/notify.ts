import { z } from 'zod';
import { defineContract } from './contract';

/** A message for one channel; the notifier owns delivery, retries and de-duplication. */
export const notifyDeliver = defineContract({
  kind: 'command',
  subject: 'hzn.cmd.notify.deliver',
  version: 1,
  description:
    'Deliver one message to one channel (Slack thread, Linear issue or session, GitHub PR, console).',
  data: z.object({
    channel: z.enum(['slack', 'linear', 'github', 'console']),
    target: z.record(z.string(), z.string()),
    /** Same key, same message: a redelivered command never posts twice. */
    dedupeKey: z.string().min(1),
    title: z.string(),
    body: z.string(),
    /** Set to update one message in place (a Slack status message, a check run). */
    updateKey: z.string().optional(),
  }),
});

export const notifyContracts = [notifyDeliver] as const;
