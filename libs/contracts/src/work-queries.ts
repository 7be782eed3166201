import { z } from 'zod';
import { defineRpc } from './contract';
import { frictionEventSchema } from './friction';
import { isoDate, runOutcomeSchema, workItemKindSchema, workItemStateSchema } from './domain';
import { browserCheckResultSchema } from './run';

/** A work item as the orchestrator shows it to other services (ingress's work API serves it as is). */
export const workItemViewSchema = z.object({
  id: z.string().uuid(),
  kind: workItemKindSchema,
  state: workItemStateSchema,
  repo: z.string(),
  title: z.string(),
  description: z.string(),
  branch: z.string().nullable(),
  priority: z.number().int(),
  labels: z.array(z.string()),
  autoStart: z.boolean().nullable(),
  ownerId: z.string().nullable(),
  parentId: z.string().nullable(),
  sourceRefs: z.record(z.string(), z.unknown()),
  stateEnteredAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /**
   * While `waiting`: the budget it waits at (`run`: its run is held, `start`: it may not start),
   * why, and until when an answer is awaited; null otherwise. Absent: an older orchestrator.
   */
  waiting: z
    .object({ kind: z.enum(['run', 'start']), reason: z.string(), answerBy: z.string().nullable() })
    .nullable()
    .optional(),
});
export type WorkItemView = z.infer<typeof workItemViewSchema>;

/** The latest attempt at an item, as a board card shows it without the item's full detail. */
export const latestRunSchema = z.object({
  id: z.string().uuid(),
  outcome: runOutcomeSchema.nullable(),
  /** `passed` when every verification command exited 0, `none` when none ran. */
  verification: z.enum(['passed', 'failed', 'none']),
});
export type LatestRun = z.infer<typeof latestRunSchema>;

/** A work item with its latest run: what lists and graphs answer. */
export const workItemSummarySchema = workItemViewSchema.extend({ latestRun: latestRunSchema.nullable() });
export type WorkItemSummary = z.infer<typeof workItemSummarySchema>;

/** One attempt at a work item, with the checks its runner reported. */
export const runViewSchema = z.object({
  id: z.string().uuid(),
  attempt: z.number().int(),
  flavour: z.string(),
  /** The coding-agent CLI it ran (`opencode`, `codex`, `claude-code`). */
  harness: z.string(),
  branch: z.string().nullable(),
  outcome: runOutcomeSchema.nullable(),
  failureReason: z.string().nullable(),
  commitSha: z.string().nullable(),
  queuedAt: isoDate,
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costUsd: z.number(),
  /** The agent's tool calls, as its runner counted them: how much work the run took. */
  toolCalls: z.number().int(),
  verification: z.array(
    z.object({ command: z.string(), exitCode: z.number().int(), durationMs: z.number() }),
  ),
  /** The papercuts the run met, with the transcript entries that show them. */
  friction: z.array(frictionEventSchema),
  /** The browser checks of its preview (docs/browser-verification.md); empty without a preview. */
  browser: z.array(browserCheckResultSchema).default([]),
});
export type RunView = z.infer<typeof runViewSchema>;

/** A work item with its runs (oldest first), the items it waits for and those waiting for it: what the work API serves for one item. */
export const workItemWithRunsSchema = workItemViewSchema.extend({
  runs: z.array(runViewSchema),
  blockedBy: z.array(z.string().uuid()),
  blocks: z.array(z.string().uuid()),
});
export type WorkItemWithRuns = z.infer<typeof workItemWithRunsSchema>;

/** One audit record of a work item: a transition (`fromState`/`toState` set) or another decision. */
export const auditViewSchema = z.object({
  runId: z.string().nullable(),
  actor: z.string(),
  action: z.string(),
  fromState: z.string().nullable(),
  toState: z.string().nullable(),
  cause: z.string(),
  at: isoDate,
});
export type AuditView = z.infer<typeof auditViewSchema>;

/** Request/reply on `hzn.rpc.orchestrator.*`, answered by the orchestrator from its own tables. */
export const orchestratorListWorkItems = defineRpc({
  subject: 'hzn.rpc.orchestrator.list_work_items',
  version: 1,
  description:
    'Work items newest first, filtered, one page at a time; the cursor is the nextCursor of the previous page. An unreadable cursor is refused with code invalid_cursor.',
  data: z.object({
    state: workItemStateSchema.optional(),
    kind: workItemKindSchema.optional(),
    repo: z.string().min(1).optional(),
    /** The items a plan was carved into. */
    parentId: z.string().uuid().optional(),
    limit: z.number().int().min(1).max(200).default(50),
    cursor: z.string().min(1).optional(),
  }),
  reply: z.object({ items: z.array(workItemSummarySchema), nextCursor: z.string().nullable() }),
});

export const orchestratorGetWorkItem = defineRpc({
  subject: 'hzn.rpc.orchestrator.get_work_item',
  version: 1,
  description:
    'One work item with its runs (oldest first), the items it waits for and those waiting for it, and its audit timeline (oldest first). null when there is none.',
  data: z.object({ workItemId: z.string().uuid() }),
  reply: z.object({
    workItem: workItemWithRunsSchema.extend({ timeline: z.array(auditViewSchema) }).nullable(),
  }),
});
export type WorkItemDetail = NonNullable<z.infer<typeof orchestratorGetWorkItem.reply>['workItem']>;

export const orchestratorWorkGraph = defineRpc({
  subject: 'hzn.rpc.orchestrator.work_graph',
  version: 1,
  description:
    "The dependency graph of a plan's items (parentId) or of a repository's open and recent items (repo): nodes and their blocked-by edges, at most 500 nodes (truncated says when more matched).",
  data: z
    .object({ parentId: z.string().uuid().optional(), repo: z.string().min(1).optional() })
    .refine((q) => Boolean(q.parentId) !== Boolean(q.repo), {
      message: 'give exactly one of parentId or repo',
    }),
  reply: z.object({
    nodes: z.array(workItemSummarySchema),
    /** `from` must be done before `to` can start. */
    edges: z.array(z.object({ from: z.string().uuid(), to: z.string().uuid() })),
    truncated: z.boolean(),
  }),
});

export const orchestratorListRepositories = defineRpc({
  subject: 'hzn.rpc.orchestrator.list_repositories',
  version: 1,
  description:
    'Every repository the orchestrator has work items in, by name, with how many and when the latest was created.',
  data: z.object({}),
  reply: z.object({
    repositories: z.array(
      z.object({ repo: z.string(), workItems: z.number().int().nonnegative(), latestAt: isoDate }),
    ),
  }),
});

export const workQueryContracts = [
  orchestratorListRepositories,
  orchestratorListWorkItems,
  orchestratorGetWorkItem,
  orchestratorWorkGraph,
] as const;
