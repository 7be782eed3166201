import { z } from 'zod';
import type { RepoRef } from '../../../sources/ports';
import {
  ciCheckSchema,
  diffFileSchema,
  pullRequestSchema,
  reviewCommentSchema,
} from '../../../domain/records';
import { cursorInput, limitInput } from '../../../domain/paging';
import { defineTool, page, pagedItem, pageOutput, ToolContext } from '../tool';

const repoInput = z
  .string()
  .regex(/^[\w.-]+\/[\w.-]+$/)
  .optional()
  .describe("owner/name; defaults to the run's repository, the only one a run may read when it has one");
const numberInput = z.number().int().positive().describe('Pull request number');

/** A run reads its own repository's pull requests; a token without one names the repository. */
export class RepoNotAllowed extends Error {}

export function resolveRepo(requested: string | undefined, ctx: ToolContext): RepoRef & { full: string } {
  const own = ctx.claims.repo;
  const full = requested ?? own;
  if (!full) throw new RepoNotAllowed('this run has no repository: pass repo as owner/name');
  if (own && full.toLowerCase() !== own.toLowerCase())
    throw new RepoNotAllowed(`this run may read only ${own}, not ${full}`);
  const [owner, repo] = full.split('/') as [string, string];
  return { owner, repo, full };
}

export const forgeGetPullRequest = defineTool({
  name: 'forge_get_pull_request',
  title: 'Pull request',
  description:
    'A pull request: title, state, branches, head commit, author, size, and its body (continues with cursor).',
  scope: 'forge:read',
  available: (s) => !!s.forge,
  input: { repo: repoInput, number: numberInput, cursor: cursorInput },
  output: {
    source: z.string(),
    items: z.array(pagedItem(pullRequestSchema)).describe('The pull request, one item'),
    ...pageOutput,
  },
  async run(args, ctx) {
    const forge = ctx.sources.forge!;
    const pr = await forge.getPullRequest(resolveRepo(args.repo, ctx), args.number);
    return {
      source: forge.name,
      ...page('forge_get_pull_request', args, [pr], 'body', ctx, { source: forge.name }),
    };
  },
});

export const forgeGetDiff = defineTool({
  name: 'forge_get_diff',
  title: 'Pull request diff',
  description:
    "A pull request's changed files with their unified-diff hunks; a long patch continues with cursor.",
  scope: 'forge:read',
  available: (s) => !!s.forge,
  input: { repo: repoInput, number: numberInput, cursor: cursorInput, limit: limitInput },
  output: { source: z.string(), items: z.array(pagedItem(diffFileSchema)), ...pageOutput },
  async run(args, ctx) {
    const forge = ctx.sources.forge!;
    const files = await forge.listFiles(resolveRepo(args.repo, ctx), args.number);
    return {
      source: forge.name,
      ...page('forge_get_diff', args, files, 'patch', ctx, { source: forge.name }),
    };
  },
});

export const forgeListReviewComments = defineTool({
  name: 'forge_list_review_comments',
  title: 'Pull request review comments',
  description: "A pull request's review comments on lines of the diff, oldest first.",
  scope: 'forge:read',
  available: (s) => !!s.forge,
  input: { repo: repoInput, number: numberInput, cursor: cursorInput, limit: limitInput },
  output: { source: z.string(), items: z.array(pagedItem(reviewCommentSchema)), ...pageOutput },
  async run(args, ctx) {
    const forge = ctx.sources.forge!;
    const comments = await forge.listReviewComments(resolveRepo(args.repo, ctx), args.number);
    return {
      source: forge.name,
      ...page('forge_list_review_comments', args, comments, 'body', ctx, { source: forge.name }),
    };
  },
});

export const forgeGetCiResults = defineTool({
  name: 'forge_get_ci_results',
  title: 'CI results',
  description: "Check runs and commit statuses on a pull request's head commit.",
  scope: 'forge:read',
  available: (s) => !!s.forge,
  input: { repo: repoInput, number: numberInput, cursor: cursorInput, limit: limitInput },
  output: { source: z.string(), items: z.array(pagedItem(ciCheckSchema)), ...pageOutput },
  async run(args, ctx) {
    const forge = ctx.sources.forge!;
    const checks = await forge.listChecks(resolveRepo(args.repo, ctx), args.number);
    return {
      source: forge.name,
      ...page('forge_get_ci_results', args, checks, 'summary', ctx, { source: forge.name }),
    };
  },
});

export const forgeTools = [forgeGetPullRequest, forgeGetDiff, forgeListReviewComments, forgeGetCiResults];
