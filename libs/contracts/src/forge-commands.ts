import { z } from 'zod';
import { defineContract } from './contract';
import { githubPullRequest } from './ingress-github';
import { browserCheckResultSchema } from './run';

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
    /** The run's browser checks (`run.finished` `browser`), for the PR body; absent without a preview. */
    browser: z.array(browserCheckResultSchema).optional(),
    /** The Horizon identity the work belongs to; null when nobody owns it. */
    ownerId: z.string().uuid().nullable(),
    /** The tracker issue the work came from; `id` alone when the item was planned by Horizon (the notifier looks it up). */
    trackerIssue: z
      .object({ id: z.string().optional(), identifier: z.string().optional(), url: z.string().optional() })
      .optional(),
  }),
});
export type ForgeOpenPullRequestData = z.infer<typeof forgeOpenPullRequest.data>;

export const forgeFindMergeConflicts = defineContract({
  kind: 'command',
  subject: 'hzn.cmd.forge.find_merge_conflicts',
  version: 1,
  description:
    "A Horizon PR merged on GitHub: ask GitHub which of Horizon's other open PRs on the same base no longer merge cleanly, and publish a `hzn.ingress.github.merge_conflict` for each (GitHub sends no event for it).",
  data: z.object({
    workItemId: z.string().uuid(),
    /** The merged item's latest run: GitHub tokens are minted per run (a `pull_requests: read` one here). */
    runId: z.string().uuid(),
    /** The merge, as ingress delivered it. */
    merged: githubPullRequest.data,
    /** Horizon's branch prefix: only PRs whose head starts with it are rebased. */
    branchPrefix: z.string().min(1),
  }),
});

export const forgeCommandContracts = [forgeOpenPullRequest, forgeFindMergeConflicts] as const;
