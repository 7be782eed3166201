import { Inject, Injectable } from '@nestjs/common';
import {
  workItemCreated,
  workItemFollowUp,
  workItemPlanProposed,
  workItemStateChanged,
  type EnvelopeOf,
} from '@horizon/contracts';
import { HandleMessage, MessageConsumer } from '@horizon/messaging';
import { PlanProposalIntake } from '../application/plan-proposals';

/**
 * The PM agent's answers to plan drafts (`hzn.evt.workitem.plan_proposed`) and the end of plan
 * runs that gave none (`state_changed` to failed or cancelled). Durable, so an answer that came
 * while the console was down is read when it is back. A handler that throws is retried.
 */
@Injectable()
@MessageConsumer({
  durable: 'console-plan-proposals',
  stream: 'EVT',
  ignore: [workItemCreated, workItemFollowUp],
})
export class PlanProposalsConsumer {
  constructor(@Inject(PlanProposalIntake) private readonly intake: PlanProposalIntake) {}

  @HandleMessage(workItemPlanProposed)
  async proposed(env: EnvelopeOf<typeof workItemPlanProposed>): Promise<void> {
    await this.intake.proposed(env.data);
  }

  @HandleMessage(workItemStateChanged)
  async moved(env: EnvelopeOf<typeof workItemStateChanged>): Promise<void> {
    await this.intake.moved(env.data);
  }
}
