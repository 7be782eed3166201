import { z } from 'zod';
import { defineRpc } from './contract';
import { isoDate } from './domain';

/** What a person may do in a repository through the console; each role includes the ones before it. */
export const consoleRoles = ['viewer', 'member', 'admin'] as const;
export const consoleRoleSchema = z.enum(consoleRoles);
export type ConsoleRole = z.infer<typeof consoleRoleSchema>;

/** Request/reply on `hzn.rpc.console.*`, answered by the console. */
export const consoleCreateSignInLink = defineRpc({
  subject: 'hzn.rpc.console.create_sign_in_link',
  version: 1,
  description:
    'A one-time link that signs a person in to the console (created on first use), granting them `role` in `repo` (`*`: every repository). The token is in this reply only: the console keeps its SHA-256 hash.',
  data: z.object({
    person: z.string().trim().min(1).max(100),
    role: consoleRoleSchema.default('admin'),
    repo: z
      .string()
      .regex(/^(\*|[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)$/, 'a repository is owner/name, or * for every one')
      .default('*'),
    ttlMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(15),
  }),
  reply: z.object({ url: z.string().url(), expiresAt: isoDate, personId: z.string().uuid() }),
});

export const consoleContracts = [consoleCreateSignInLink] as const;
