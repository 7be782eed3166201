import {
  notifierOpenBudgetModal,
  orchestratorBudgetHold,
  type BudgetModal,
  type ReplyOf,
} from '@horizon/contracts';
import {
  BUDGET_MODAL_BLOCKS,
  readSlackBudgetInteraction,
  type SlackBudgetInteraction,
} from '@horizon/integrations-slack';
import type { RpcClient } from '@horizon/messaging';
import type { Logger } from '@horizon/observability';
import type { InteractionAnswer } from './accept';

/** Slack waits 3 s for ingress's answer: each of the (at most two) questions gets less than half. */
const ASK_TIMEOUT_MS = 1200;

type Hold = ReplyOf<typeof orchestratorBudgetHold>;

const modalErrors = (errors: Record<string, string>) => ({ response_action: 'errors', errors });

/**
 * The Continue with… modal of the budget question, answered while Slack waits (docs/cost.md).
 * A press asks the orchestrator whether the person may answer the item's hold and has the
 * notifier (which holds the bot token) open the form, or a modal saying why not. A submission
 * is refused in the modal, keyed by its input, when an amount is wrong, the person may not
 * answer, or the hold it was opened for is over; otherwise it becomes the same
 * `hzn.ingress.slack.budget_answer` a button makes, naming its hold, and the modal closes.
 */
export class SlackBudgetModal {
  constructor(
    private readonly rpc: Pick<RpcClient, 'call'>,
    private readonly logger: Logger,
  ) {}

  async interact(body: unknown, receivedAt: Date): Promise<InteractionAnswer | null> {
    const interaction = readSlackBudgetInteraction(body, receivedAt);
    if (!interaction) return null;
    if (interaction.kind === 'open') return this.open(interaction);
    const { deliveryId } = interaction;
    const refused = (errors: Record<string, string>): InteractionAnswer => ({
      deliveryId,
      event: 'view_submission',
      reply: modalErrors(errors),
      detail: `refused in the modal: ${Object.values(errors).join(' ')}`,
    });
    if (interaction.kind === 'invalid') return refused(interaction.errors);
    const hold = await this.hold(interaction.workItemId, interaction.user, interaction.since);
    if (!hold.ok) return refused({ [BUDGET_MODAL_BLOCKS.usd]: `Not applied: ${hold.refusal}.` });
    return { deliveryId, event: 'view_submission', reply: '', publish: interaction.answer };
  }

  private async open(press: Extract<SlackBudgetInteraction, { kind: 'open' }>): Promise<InteractionAnswer> {
    const hold = await this.hold(press.workItemId, press.user);
    const modal: BudgetModal = hold.ok
      ? { kind: 'ask', hold: hold.hold }
      : { kind: 'refused', reason: hold.refusal };
    let detail = hold.ok ? 'budget modal opened' : `budget modal opened with the refusal: ${hold.refusal}`;
    try {
      await this.rpc.call(
        notifierOpenBudgetModal,
        { triggerId: press.triggerId, modal },
        { timeoutMs: ASK_TIMEOUT_MS },
      );
    } catch (err) {
      // Slack shows nothing then; the person may press again.
      detail = `budget modal not opened: ${(err as Error).message}`;
      this.logger.warn({ err, workItemId: press.workItemId }, detail);
    }
    return { deliveryId: press.deliveryId, event: 'block_actions', reply: '', detail };
  }

  /** The orchestrator's word on the hold; no answer in time is a refusal that says to try again. */
  private async hold(workItemId: string, slackUser: string, since?: string): Promise<Hold> {
    try {
      return await this.rpc.call(
        orchestratorBudgetHold,
        { workItemId, slackUser, ...(since ? { since } : {}) },
        { timeoutMs: ASK_TIMEOUT_MS },
      );
    } catch (err) {
      this.logger.warn({ err, workItemId }, 'budget hold not checked');
      return { ok: false, refusal: 'Horizon could not check the budget just now; try again in a moment' };
    }
  }
}
