import { z } from 'zod';
import { defineContract } from './contract';

/**
 * Commands to the forge a work item's repository lives on. The notifier carries them out: it is
 * the one service, besides the egress proxy, that holds forge credentials (docs/identity.md).
 */
export const forgeOpenPullRequest = defineContract({
  kind: 'command',
  subject: 'hzn.cmd.forge.open_pull_request',
  version: 1,
  description:
    "Open the pull request for an implement run's branch, attributed to the work item's owner (their token when linked, else the app naming them).",
  data: z.object({
    workItemId: z.string().uuid(),
    runId: z.string().uuid(),
    /** `owner/name`. */
    repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'owner/name'),
    forge: z.enum(['github', 'local']),
    /** The run's branch, already pushed. */
    head: z.string().min(1),
    base: z.string().min(1),
    /** The commit the run left on `head`. */
    commitSha: z.string().min(1),
    title: z.string().min(1),
    /** What changed and why (the run's summary); the notifier adds the verification report, tracker link and owner. */
    body: z.string(),
    verification: z.array(
      z.object({ command: z.string(), exitCode: z.number().int(), durationMs: z.number().int() }),
    ),
    /** The Horizon identity the work belongs to; null when nobody owns it. */
    ownerId: z.string().uuid().nullable(),
    /** The tracker issue the work came from; `id` alone when the item was planned by Horizon (the notifier looks it up). */
    trackerIssue: z
      .object({ id: z.string().optional(), identifier: z.string().optional(), url: z.string().optional() })
      .optional(),
  }),
});
export type ForgeOpenPullRequestData = z.infer<typeof forgeOpenPullRequest.data>;

export const forgeCommandContracts = [forgeOpenPullRequest] as const;
