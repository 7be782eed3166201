import type { InputBlock, ModalView } from '@slack/web-api';
import { z } from 'zod';
import {
  SLACK_BUDGET_ACTIONS,
  acceptDelivery,
  isoDate,
  slackBudgetAnswer,
  slackBudgetButtonSchema,
  type AcceptedDelivery,
  type BudgetExtra,
  type BudgetModal,
} from '@horizon/contracts';

/**
 * The Continue with… modal of the budget question (docs/cost.md): its Block Kit view, which the
 * notifier opens, and the interactions ingress reads back — the press that asks for it and its
 * submission. Both sides live here so the view's ids and what is read from them cannot drift.
 */

export const BUDGET_MODAL_CALLBACK_ID = 'horizon_budget_continue_with';

/** The modal's input blocks; an error in the modal is keyed by one of them (`response_action: errors`). */
export const BUDGET_MODAL_BLOCKS = {
  usd: 'horizon_budget_extra_usd',
  tokens: 'horizon_budget_extra_tokens',
  minutes: 'horizon_budget_extra_minutes',
} as const;
const INPUT_ACTION = 'amount';

/**
 * The most one answer grants: a typo (an extra zero or three) must not hand a run a fortune.
 * More is still one answer away, or the work API's.
 */
const BUDGET_MODAL_MAX = { usd: 1000, tokens: 10_000_000, minutes: 24 * 60 } as const;

const count = new Intl.NumberFormat('en-US');

/** Each input: how the view asks for it and how its text is read back. */
const AMOUNTS = [
  {
    key: 'usd',
    label: 'Dollars more',
    hint: `At most $${count.format(BUDGET_MODAL_MAX.usd)}.`,
    unit: 'dollars',
    decimal: true,
    required: true,
    pattern: /^-?\d+(\.\d{1,2})?$/,
    format: 'dollars as a number with at most two decimals, like 2.50',
  },
  {
    key: 'tokens',
    label: 'Tokens more',
    hint: `For a limit in tokens; at most ${count.format(BUDGET_MODAL_MAX.tokens)}.`,
    unit: 'tokens',
    decimal: false,
    required: false,
    pattern: /^-?\d+$/,
    format: 'a whole number of tokens',
  },
  {
    key: 'minutes',
    label: 'Minutes more of wall time',
    hint: `For a run at its time limit; at most ${count.format(BUDGET_MODAL_MAX.minutes)}.`,
    unit: 'minutes',
    decimal: false,
    required: false,
    pattern: /^-?\d+$/,
    format: 'a whole number of minutes',
  },
] as const;

/** What the view carries to its submission: the item and the hold it was opened for. */
const metadataSchema = z.strictObject({ workItemId: z.string().uuid(), since: isoDate });

const plain = (text: string) => ({ type: 'plain_text' as const, text });

/** The view for `views.open`: the form for the hold, or why this person may not answer. */
export function budgetModalView(modal: BudgetModal): ModalView {
  if (modal.kind === 'refused')
    return {
      type: 'modal',
      title: plain('Budget'),
      close: plain('Close'),
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `You cannot answer this: ${modal.reason}.` } },
      ],
    };
  const { hold } = modal;
  const inputs = AMOUNTS.map((a): InputBlock => ({
    type: 'input',
    block_id: BUDGET_MODAL_BLOCKS[a.key],
    optional: !a.required,
    label: plain(a.label),
    hint: plain(a.hint),
    element: { type: 'number_input', action_id: INPUT_ACTION, is_decimal_allowed: a.decimal },
  }));
  const by = hold.answerBy ? ` Without an answer by ${hold.answerBy} it stops, its work saved.` : '';
  return {
    type: 'modal',
    callback_id: BUDGET_MODAL_CALLBACK_ID,
    private_metadata: JSON.stringify({ workItemId: hold.workItemId, since: hold.since }),
    title: plain('Continue with…'),
    submit: plain('Continue'),
    close: plain('Cancel'),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*Budget reached:* ${hold.reason}.${by}` } },
      ...inputs,
    ],
  };
}

/** An interaction of the budget modal, as ingress must answer it while Slack waits. */
export type SlackBudgetInteraction =
  /** Continue with… was pressed: open the modal with `triggerId`. */
  | { kind: 'open'; deliveryId: string; workItemId: string; triggerId: string; user: string }
  /** The modal was submitted with amounts it must refuse, keyed by block id. */
  | { kind: 'invalid'; deliveryId: string; user: string; errors: Record<string, string> }
  /** The modal was submitted with amounts to grant: `answer` once the hold is confirmed. */
  | {
      kind: 'submit';
      deliveryId: string;
      workItemId: string;
      since: string;
      user: string;
      answer: AcceptedDelivery<typeof slackBudgetAnswer>;
    };

interface Payload {
  type?: string;
  team?: { id?: string };
  user?: { id?: string };
  trigger_id?: string;
  actions?: { action_id?: string; value?: string }[];
  view?: {
    id?: string;
    callback_id?: string;
    private_metadata?: string;
    state?: { values?: Record<string, Record<string, { value?: string | null }>> };
  };
}

/**
 * Reads a verified Slack interaction that belongs to the budget modal; null for any other (the
 * usual normalization takes it). Throws on one of ours that Slack would never send.
 */
export function readSlackBudgetInteraction(body: unknown, receivedAt: Date): SlackBudgetInteraction | null {
  const payload = (typeof body === 'object' && body !== null ? body : {}) as Payload;
  const isPress =
    payload.type === 'block_actions' && payload.actions?.[0]?.action_id === SLACK_BUDGET_ACTIONS.continueWith;
  const isSubmission =
    payload.type === 'view_submission' && payload.view?.callback_id === BUDGET_MODAL_CALLBACK_ID;
  if (!isPress && !isSubmission) return null;
  const user = payload.user?.id;
  if (!user) throw new Error(`Slack ${payload.type} payload has no user`);
  if (isPress) {
    if (!payload.trigger_id) throw new Error('Slack block_actions payload has no trigger_id');
    const { workItemId } = slackBudgetButtonSchema.parse(JSON.parse(payload.actions![0]!.value ?? ''));
    return { kind: 'open', deliveryId: payload.trigger_id, workItemId, triggerId: payload.trigger_id, user };
  }
  const view = payload.view!;
  // The view id: Slack closes a modal once it is answered, so one view grants at most once.
  if (!view.id) throw new Error('Slack view_submission payload has no view id');
  const { workItemId, since } = metadataSchema.parse(JSON.parse(view.private_metadata ?? ''));
  const read = readAmounts(view.state?.values ?? {});
  if ('errors' in read) return { kind: 'invalid', deliveryId: view.id, user, errors: read.errors };
  const answer = acceptDelivery(slackBudgetAnswer, view.id, {
    delivery: {
      source: 'slack',
      deliveryId: view.id,
      event: 'view_submission',
      action: BUDGET_MODAL_CALLBACK_ID,
      receivedAt: receivedAt.toISOString(),
    },
    workItemId,
    action: 'continue',
    extra: read.extra,
    teamId: payload.team?.id ?? '',
    user,
    holdSince: since,
  });
  return { kind: 'submit', deliveryId: view.id, workItemId, since, user, answer };
}

/** The typed amounts: positive, whole where they must be, at most `BUDGET_MODAL_MAX`. */
function readAmounts(
  values: Record<string, Record<string, { value?: string | null }>>,
): { extra: BudgetExtra } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const read = (key: (typeof AMOUNTS)[number]['key']): number | null => {
    const a = AMOUNTS.find((x) => x.key === key)!;
    const block = BUDGET_MODAL_BLOCKS[key];
    const max = BUDGET_MODAL_MAX[key];
    const text = values[block]?.[INPUT_ACTION]?.value?.trim() || null;
    const value = text !== null && a.pattern.test(text) ? Number(text) : NaN;
    if (text === null) {
      if (a.required) errors[block] = `Enter how many ${a.unit} more it may spend.`;
    } else if (Number.isNaN(value)) errors[block] = `Enter ${a.format}.`;
    else if (value <= 0) errors[block] = `Enter more than 0 ${a.unit}.`;
    else if (value > max) errors[block] = `At most ${count.format(max)} ${a.unit} in one answer.`;
    return text === null || errors[block] ? null : value;
  };
  const extra = { costUsd: read('usd'), tokens: read('tokens'), minutes: read('minutes') };
  return Object.keys(errors).length > 0 ? { errors } : { extra };
}
