import { z } from 'zod';
import { defineRpc } from './contract';
import { isoDate } from './domain';

export const usageGroupings = ['run', 'item', 'plan', 'fleet', 'repo', 'person', 'day'] as const;
export const usageGroupingSchema = z.enum(usageGroupings);
export type UsageGrouping = z.infer<typeof usageGroupingSchema>;

const total = z.number().nonnegative();

/** One group's model usage, as the egress proxies counted it, with the harnesses' own figures beside. */
export const usageRollupRowSchema = z.object({
  /**
   * Run id, work item id, plan item id, fleet id, repository, owner id or UTC day (`YYYY-MM-DD`);
   * null: the runs of no plan, no fleet or no owner.
   */
  key: z.string().nullable(),
  /** The work item's, plan's or fleet's title, for those groupings. */
  label: z.string().nullable().optional(),
  runs: z.number().int().nonnegative(),
  requests: z.number().int().nonnegative(),
  inputTokens: total,
  outputTokens: total,
  cachedInputTokens: total,
  cacheWriteInputTokens: total,
  /** Of the priced requests; the cost of `unpricedRequests` is unknown, not 0. */
  costUsd: total,
  unpricedRequests: z.number().int().nonnegative(),
  harnessInputTokens: total,
  harnessOutputTokens: total,
});
export type UsageRollupRow = z.infer<typeof usageRollupRowSchema>;

export const orchestratorUsageRollup = defineRpc({
  subject: 'hzn.rpc.orchestrator.usage_rollup',
  version: 1,
  description:
    'Model tokens, requests and cost since a time, per run, work item, plan (the plan item and the items it planned), fleet, repository, person or day, optionally only of some repositories.',
  data: z.object({
    by: usageGroupingSchema,
    since: isoDate,
    /** The caller's scope; absent: every repository. */
    repos: z.array(z.string()).optional(),
    /** Only this work item's runs (a PR's summary line). */
    workItemId: z.string().uuid().optional(),
  }),
  reply: z.object({ rows: z.array(usageRollupRowSchema) }),
});

export const usageContracts = [orchestratorUsageRollup] as const;
