import { z } from 'zod';

const branch = z
  .string()
  .min(1)
  .max(250)
  .regex(/^[^\s~^:?*[\\]+$/, 'a branch name');

export const createRepositoryBody = z.object({
  owner: z.string().min(1),
  name: z.string().min(1),
  /** A git repository on this machine to import (every branch), else the repository starts empty. */
  from: z.string().min(1).optional(),
  defaultBranch: branch.optional(),
});

export const createPullBody = z.object({
  head: branch,
  base: branch.optional(),
  title: z.string().min(1).max(300),
  body: z.string().max(100_000).nullish(),
});

export const updatePullBody = z.object({
  title: z.string().min(1).max(300).optional(),
  body: z.string().max(100_000).nullish(),
  state: z.enum(['open', 'closed']).optional(),
});

export const commentBody = z.object({
  body: z.string().min(1).max(65_536),
  path: z.string().min(1).optional(),
  line: z.number().int().positive().nullish(),
});

export const reviewBody = z.object({
  event: z.enum(['APPROVE', 'REQUEST_CHANGES', 'COMMENT']),
  body: z.string().max(65_536).nullish(),
  commit_id: z
    .string()
    .regex(/^[0-9a-f]{40}$/)
    .optional(),
  comments: z
    .array(
      z.object({
        path: z.string().min(1),
        line: z.number().int().positive().nullish(),
        body: z.string().min(1),
      }),
    )
    .optional(),
});

export const mergeBody = z.object({
  sha: z
    .string()
    .regex(/^[0-9a-f]{40}$/)
    .optional(),
  message: z.string().min(1).optional(),
});

export const reviewersBody = z.object({ reviewers: z.array(z.string().min(1)).min(1) });

/** GitHub's "add labels to an issue" body; GitHub refuses names over 50 characters. */
export const labelsBody = z.object({ labels: z.array(z.string().trim().min(1).max(50)).min(1) });

export const checkRunBody = z.object({
  headSha: z.string().regex(/^[0-9a-f]{40}$/),
  name: z.string().min(1),
  results: z.array(
    z.object({
      command: z.string(),
      exitCode: z.number().int(),
      durationMs: z.number().int().nonnegative(),
      output: z.string().optional(),
    }),
  ),
  detailsUrl: z.string().optional(),
  /** Set: the check run concludes so, with `summary` (a verdict rather than verification results). */
  conclusion: z.enum(['success', 'neutral', 'failure']).optional(),
  summary: z.string().max(65_536).optional(),
});

export const pullStateQuery = z.enum(['open', 'closed', 'all']).default('open');
