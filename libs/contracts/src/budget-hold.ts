import { z } from 'zod';
import { defineRpc } from './contract';
import { isoDate } from './domain';

/**
 * The Slack modal that answers a budget with an extra of one's own (docs/cost.md): the hold it
 * is asked about, and the two questions ingress asks while Slack waits on the interaction.
 */

/** The budget an item waits at, as the modal shows it and names it back when submitted. */
export const budgetHoldSchema = z.object({
  workItemId: z.string().uuid(),
  /** When the item began waiting: the hold's identity (a run held again is another hold). */
  since: isoDate,
  /** `run`: its run is held; `start`: it may not start. */
  kind: z.enum(['run', 'start']),
  reason: z.string(),
  answerBy: isoDate.nullable(),
});
export type BudgetHold = z.infer<typeof budgetHoldSchema>;

export const orchestratorBudgetHold = defineRpc({
  subject: 'hzn.rpc.orchestrator.budget_hold',
  version: 1,
  description:
    "The budget hold a work item waits at, when the Slack user may answer it (the item's owner, by their linked account, as for the question's buttons); with `since`, only while the item still waits at the hold that began then. Otherwise why not, in words.",
  data: z.object({
    workItemId: z.string().uuid(),
    slackUser: z.string().min(1),
    since: isoDate.optional(),
  }),
  reply: z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), hold: budgetHoldSchema }),
    z.object({ ok: z.literal(false), refusal: z.string().min(1) }),
  ]),
});

/** What the modal shows: the form for the hold, or why this person may not answer it. */
export const budgetModalSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ask'), hold: budgetHoldSchema }),
  z.object({ kind: z.literal('refused'), reason: z.string().min(1) }),
]);
export type BudgetModal = z.infer<typeof budgetModalSchema>;

export const notifierOpenBudgetModal = defineRpc({
  subject: 'hzn.rpc.notifier.open_budget_modal',
  version: 1,
  description:
    "Opens the Slack modal of a press of Continue with… (views.open with the interaction's trigger_id, which Slack honours for 3 seconds). Slack's refusal is the error code (expired_trigger_id, invalid_trigger_id…); not_configured without SLACK_BOT_TOKEN.",
  data: z.object({ triggerId: z.string().min(1), modal: budgetModalSchema }),
  reply: z.object({ viewId: z.string().min(1) }),
});

export const budgetHoldContracts = [orchestratorBudgetHold, notifierOpenBudgetModal] as const;
