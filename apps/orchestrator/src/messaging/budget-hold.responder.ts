import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { orchestratorBudgetHold } from '@horizon/contracts';
import { DATABASE, type Database } from '@horizon/db';
import { RpcServer } from '@horizon/messaging';
import { BudgetWaits } from '../application/budgets';
import { slackAnswerRefusal } from '../domain/budget';
import { WorkItemRepository } from '../persistence/work-item.repository';
import { IdentityDirectory } from './identity-directory';

/**
 * Answers `hzn.rpc.orchestrator.budget_hold` for the Slack modal, which Slack only lets ingress
 * answer while it waits: who may answer and which hold is current are decided here, by the same
 * rules the answer meets again when its event arrives (a press between the two changes nothing).
 */
@Injectable()
export class BudgetHoldResponder implements OnApplicationBootstrap {
  constructor(
    private readonly rpc: RpcServer,
    @Inject(DATABASE) private readonly db: Database,
    private readonly items: WorkItemRepository,
    private readonly waits: BudgetWaits,
    private readonly identities: IdentityDirectory,
  ) {}

  onApplicationBootstrap(): void {
    this.rpc.serve(orchestratorBudgetHold, async ({ workItemId, slackUser, since }) => {
      const item = await this.items.get(this.db.prisma, workItemId);
      if (!item) return { ok: false as const, refusal: `there is no work item ${workItemId}` };
      const answerer = await this.identities.ask({
        kind: 'linked',
        provider: 'slack',
        externalId: slackUser,
      });
      const refusal = slackAnswerRefusal(item.ownerId, answerer, `slack:${slackUser}`);
      if (refusal) return { ok: false as const, refusal };
      const current = this.waits.hold(item, since ?? null);
      return 'refusal' in current
        ? { ok: false as const, refusal: current.refusal }
        : { ok: true as const, ...current };
    });
  }
}
