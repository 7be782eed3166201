import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { notifierOpenBudgetModal } from '@horizon/contracts';
import { budgetModalView, ChatCallError, type SlackViews } from '@horizon/integrations-slack';
import { RpcError, RpcServer } from '@horizon/messaging';

/**
 * Answers `hzn.rpc.notifier.open_budget_modal`: ingress receives the press of Continue with…,
 * but the bot token is the notifier's, so the notifier opens the modal. Slack's refusal (an
 * expired trigger id, a view it will not show) is the caller's error code, not a retry.
 */
@Injectable()
export class BudgetModalResponder implements OnApplicationBootstrap {
  constructor(
    private readonly rpc: RpcServer,
    /** null without `SLACK_BOT_TOKEN`. */
    private readonly views: SlackViews | null,
  ) {}

  onApplicationBootstrap(): void {
    this.rpc.serve(notifierOpenBudgetModal, async ({ triggerId, modal }) => {
      if (!this.views)
        throw new RpcError('not_configured', 'SLACK_BOT_TOKEN is not set: no modal can be opened');
      try {
        return await this.views.open(triggerId, budgetModalView(modal));
      } catch (err) {
        if (err instanceof ChatCallError) throw new RpcError(err.code, err.message);
        throw err;
      }
    });
  }
}
