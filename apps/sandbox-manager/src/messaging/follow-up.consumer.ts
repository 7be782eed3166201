import { Injectable } from '@nestjs/common';
import { workItemFollowUp, type EnvelopeOf } from '@horizon/contracts';
import {
  HandleMessage,
  MessageConsumer,
  Outcome,
  type HandlerOutcome,
  type MessageContext,
} from '@horizon/messaging';
import { SandboxService } from '../application/sandbox.service';

/**
 * `hzn.evt.workitem.follow_up` → the runner of the run it is for, when that run is on this
 * host. One that finds no run here is acknowledged and logged with the reason: what a
 * follow-up without a live run means is the orchestrator's to decide, not a retry's.
 */
@MessageConsumer({ durable: 'sandbox-manager-follow-up', stream: 'EVT' })
@Injectable()
export class FollowUpConsumer {
  constructor(private readonly sandboxes: SandboxService) {}

  @HandleMessage(workItemFollowUp)
  followUp(env: EnvelopeOf<typeof workItemFollowUp>, ctx: MessageContext): HandlerOutcome {
    const { workItemId, origin } = env.data;
    const result = this.sandboxes.followUp(env);
    if (result.kind === 'passed')
      ctx.logger.info(
        { workItemId, runId: result.runId, sandboxId: result.sandboxId, origin },
        'follow-up passed to the runner',
      );
    else
      ctx.logger.info(
        { workItemId, runId: env.data.runId, origin, reason: result.reason },
        `follow-up not passed on: ${result.reason}`,
      );
    return Outcome.ack();
  }
}
