import { z } from 'zod';
import { defineRpc } from './contract';
import { isoDate } from './domain';

export const trendBucketSchema = z.enum(['day', 'week']);
export type TrendBucket = z.infer<typeof trendBucketSchema>;

const perRun = z.number().nonnegative();

/**
 * One repository over one day or week: how its runs went (by the day they ended) and how fast
 * its work merged (by the day it did). Whether the platform is learning shows in these falling.
 */
export const repoTrendRowSchema = z.object({
  repo: z.string(),
  /** The day or the week's Monday, `YYYY-MM-DD` (UTC). */
  period: z.string(),
  runs: z.number().int().nonnegative(),
  /** Work items those runs were of. */
  items: z.number().int().nonnegative(),
  runsPerItem: perRun.nullable(),
  toolCallsPerRun: perRun.nullable(),
  /** Model tokens (in and out) per run, as the egress proxy counted them. */
  tokensPerRun: perRun.nullable(),
  /** Friction events per run (each event's count). */
  frictionPerRun: perRun.nullable(),
  /** Failed verification rounds per run. */
  fixRoundsPerRun: perRun.nullable(),
  /** Work items whose pull request merged in the period. */
  merged: z.number().int().nonnegative(),
  /** From the item's creation to its merge, the median of those; null when none merged. */
  medianMinutesToMerge: z.number().nonnegative().nullable(),
});
export type RepoTrendRow = z.infer<typeof repoTrendRowSchema>;

export const orchestratorRepoTrends = defineRpc({
  subject: 'hzn.rpc.orchestrator.repo_trends',
  version: 1,
  description:
    'Per repository and day or week since a time: runs, runs per item, tool calls, tokens, friction and fix rounds per run, merges and the median time to merge.',
  data: z.object({
    since: isoDate,
    bucket: trendBucketSchema,
    /** The caller's scope; absent: every repository. */
    repos: z.array(z.string()).optional(),
  }),
  reply: z.object({ rows: z.array(repoTrendRowSchema) }),
});

export const trendContracts = [orchestratorRepoTrends] as const;
