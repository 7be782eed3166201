import { z } from 'zod';
import { defineRpc } from './contract';
import { isoDate, runOutcomeSchema } from './domain';

/**
 * Request/reply answered by the orchestrator for mcp-context, which reads work items and past
 * runs through these instead of the orchestrator's tables: its local tracker and `runs_search`.
 */

const trackedItem = z.object({
  id: z.string().uuid(),
  title: z.string(),
  description: z.string(),
  state: z.string(),
  priority: z.number().int(),
  labels: z.array(z.string()),
  /** The plan or fleet parent: the tracker's project. */
  parentId: z.string().uuid().nullable(),
  /** The owner's identity; identity-broker has their name (`hzn.rpc.identity.get`). */
  ownerId: z.string().uuid().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type TrackedItem = z.infer<typeof trackedItem>;

export const orchestratorTrackedItem = defineRpc({
  subject: 'hzn.rpc.orchestrator.tracked_item',
  version: 1,
  description:
    'A work item as a tracker issue (title, description, state, labels, parent, owner); null when unknown.',
  data: z.object({ workItemId: z.string().uuid() }),
  reply: z.object({ item: trackedItem.nullable() }),
});

export const itemRelations = ['blocks', 'blocked_by', 'child', 'parent'] as const;

export const orchestratorRelatedItems = defineRpc({
  subject: 'hzn.rpc.orchestrator.related_items',
  version: 1,
  description:
    "A work item's blockers, the items it blocks, its children and its parent, by relation then age; null when the item is unknown.",
  data: z.object({ workItemId: z.string().uuid() }),
  reply: z.object({
    relations: z
      .array(
        z.object({
          relation: z.enum(itemRelations),
          item: z.object({ id: z.string().uuid(), title: z.string(), state: z.string() }),
        }),
      )
      .nullable(),
  }),
});

const runMatch = z.object({
  runId: z.string().uuid(),
  workItemId: z.string().uuid(),
  title: z.string(),
  repo: z.string(),
  flavour: z.string(),
  outcome: runOutcomeSchema.nullable(),
  finishedAt: isoDate.nullable(),
  rank: z.number(),
  /** The matching passages, matches between « and ». */
  excerpt: z.string(),
});

export const orchestratorSearchRunHistory = defineRpc({
  subject: 'hzn.rpc.orchestrator.search_run_history',
  version: 1,
  description:
    "Past runs by full-text search (a web-style query) over the item's title, the failure reason, the run's report and its artifacts' metadata; best match first.",
  data: z.object({
    text: z.string().min(1),
    repo: z.string().optional(),
    outcome: runOutcomeSchema.optional(),
    limit: z.number().int().positive().max(500),
  }),
  reply: z.object({ matches: z.array(runMatch) }),
});

export const orchestratorContextContracts = [
  orchestratorTrackedItem,
  orchestratorRelatedItems,
  orchestratorSearchRunHistory,
] as const;
