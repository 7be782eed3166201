import { z } from 'zod';
import { budgetActionSchema, budgetExtraSchema } from './budget';
import { defineContract } from './contract';
import { isoDate } from './domain';
import { deliverySchema } from './ingress-delivery';

/** Answers to a work item waiting at a budget, as they enter Horizon (see docs/cost.md). */

/** The buttons of the budget question in a Slack thread (their `value` is a `slackBudgetButtonSchema`). */
export const SLACK_BUDGET_ACTIONS = {
  continue: 'horizon_budget_continue',
  /** Opens a modal where the owner states the extra (budget-hold.ts). */
  continueWith: 'horizon_budget_continue_with',
  stop: 'horizon_budget_stop',
} as const;
export const slackBudgetButtonSchema = z.strictObject({
  workItemId: z.string().uuid(),
  extraUsd: z.number().positive().optional(),
  extraTokens: z.number().int().positive().optional(),
  extraMinutes: z.number().int().positive().optional(),
});

export const slackBudgetAnswer = defineContract({
  kind: 'event',
  subject: 'hzn.ingress.slack.budget_answer',
  version: 1,
  description:
    "Someone pressed Continue or Stop on the budget question in a work item's Slack thread (a signed block_actions interaction), or submitted its Continue with… modal (a view_submission); the orchestrator takes it only from the item's owner.",
  data: z.object({
    delivery: deliverySchema,
    workItemId: z.string().uuid(),
    action: budgetActionSchema,
    extra: budgetExtraSchema,
    teamId: z.string(),
    /** The Slack user who pressed it. */
    user: z.string().min(1),
    /**
     * The hold a modal was opened for (when the item began waiting): refused unless the item still
     * waits at it. Null for a button, which answers the hold the item is at.
     */
    holdSince: isoDate.nullable().default(null),
  }),
});

export const apiWorkItemBudgetAnswer = defineContract({
  kind: 'event',
  subject: 'hzn.ingress.api.work_item_budget_answer',
  version: 1,
  description:
    "The owner's (or an admin's) answer to a work item waiting at a budget: continue with an extra amount, or stop. The orchestrator passes it to the held run (hzn.cmd.sandbox.budget_answer) or, for an item that may not start, queues or cancels it.",
  data: z.object({
    delivery: deliverySchema,
    workItemId: z.string().uuid(),
    action: budgetActionSchema,
    extra: budgetExtraSchema,
    requestedBy: z.string().min(1),
  }),
});
