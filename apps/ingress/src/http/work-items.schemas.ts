import { z } from 'zod';
import {
  apiWorkItemCreate,
  budgetActionSchema,
  harnessNames,
  workItemKindSchema,
  workItemStateSchema,
  workItemViewSchema,
} from '@horizon/contracts';

const fields = apiWorkItemCreate.data.shape;

/** `POST /api/v1/work-items`: the contract's fields a caller chooses, with defaults. */
export const createWorkItemBody = z.strictObject({
  repo: fields.repo.describe('the repository, owner/name'),
  title: fields.title,
  description: fields.description.default(''),
  kind: fields.kind.default('implement'),
  owner: fields.ownerId
    .default(null)
    .describe('identity id of the human who owns the work (PRs are attributed to them)'),
  blockedBy: fields.blockedBy.max(100).default([]).describe('ids of work items that must be merged first'),
  autoStart: fields.autoStart
    .default(true)
    .describe('start as soon as it is unblocked, without a human moving it'),
  labels: fields.labels.default([]),
  priority: fields.priority.default(5).describe('0 (most urgent) to 9'),
  harness: z
    .enum(harnessNames, { error: `must be one of ${harnessNames.join(', ')}` })
    .optional()
    .describe(
      "the coding-agent CLI its runs use, over the repository's `.horizon/config.yaml` (recorded as the label harness:<name>, replacing any in labels)",
    ),
});

export const cancelWorkItemBody = z.strictObject({
  reason: z.string().min(1).max(2000).default('cancelled through the API'),
});

/** `POST /api/v1/work-items/:id/start`: nothing to choose; an empty object, or no body. */
export const startWorkItemBody = z.strictObject({});

export const budgetAnswerBody = z
  .strictObject({
    action: budgetActionSchema,
    extraUsd: z.number().positive().optional().describe('continue: US dollars more for the run and its item'),
    extraTokens: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('continue: tokens more for the run and its item'),
    extraMinutes: z
      .number()
      .int('extraMinutes must be a whole number of minutes')
      .positive('extraMinutes must be more than 0')
      .optional()
      .describe('continue: minutes more of wall time for the run and its item'),
  })
  .refine(
    (body) =>
      body.action === 'stop' ||
      body.extraUsd !== undefined ||
      body.extraTokens !== undefined ||
      body.extraMinutes !== undefined,
    { message: 'continue needs extraUsd, extraTokens or extraMinutes (how much more it may spend)' },
  )
  .refine(
    (body) =>
      body.action === 'continue' ||
      (body.extraUsd === undefined && body.extraTokens === undefined && body.extraMinutes === undefined),
    {
      message: 'stop takes no extra amount',
    },
  );

export const listWorkItemsQuery = z.strictObject({
  state: workItemStateSchema.optional(),
  kind: workItemKindSchema.optional(),
  repo: z.string().min(1).optional().describe('owner/name'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).optional().describe('nextCursor of the previous page'),
});

export const workItemIdParam = z.string().uuid();

export const acceptedResponse = z.object({
  id: z.string().uuid().describe('the work item id'),
  status: z
    .enum(['accepted', 'duplicate'])
    .describe('duplicate: the same Idempotency-Key was accepted before'),
});

export const workItemPage = z.object({
  items: z.array(workItemViewSchema),
  nextCursor: z.string().nullable().describe('pass as ?cursor= for the next page; null on the last page'),
});

export const errorResponse = z.object({
  error: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
