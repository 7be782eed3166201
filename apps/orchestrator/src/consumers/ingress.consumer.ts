import { Injectable } from '@nestjs/common';
import type { Envelope } from '@horizon/contracts';
import {
  apiWorkItemCancel,
  apiWorkItemCreate,
  githubCheckCompleted,
  githubInstallation,
  githubIssueComment,
  githubPing,
  githubPullRequest,
  githubPullRequestReview,
  githubPullRequestReviewComment,
  linearAgentSession,
  linearComment,
  linearIssueChanged,
  slackAppMention,
  slackThreadMessage,
} from '@horizon/contracts';
import { HandleMessage, MessageConsumer } from '@horizon/messaging';
import type { HandlerOutcome, MessageContext } from '@horizon/messaging';
import { DecisionExecutor } from '../application/decision-executor';
import { Transactor } from '../application/unit-of-work';
import { IngressEvent, parseIngressEvent } from '../domain';
import { applyOnce } from './apply-once';

export const INGRESS_CONSUMER = 'orchestrator-ingress';

type IngressEnvelope = Envelope<IngressEvent['data']>;

/**
 * Every normalized delivery that routing can act on. Each is applied once: the inbox is keyed
 * by the envelope id and by the sender's delivery id, so a redelivered message and a delivery
 * published twice (a webhook retried by its sender) are both no-ops. Checks, installations, pings
 * and Linear comments route to nothing and are acked unread.
 */
@MessageConsumer({
  durable: INGRESS_CONSUMER,
  stream: 'INGRESS',
  ignore: [githubCheckCompleted, githubInstallation, githubPing, linearComment],
})
@Injectable()
export class IngressConsumer {
  constructor(
    private readonly transactor: Transactor,
    private readonly executor: DecisionExecutor,
  ) {}

  @HandleMessage(
    githubPullRequest,
    githubPullRequestReview,
    githubPullRequestReviewComment,
    githubIssueComment,
    linearAgentSession,
    linearIssueChanged,
    slackAppMention,
    slackThreadMessage,
    apiWorkItemCreate,
    apiWorkItemCancel,
  )
  handle(env: IngressEnvelope, ctx: MessageContext): Promise<HandlerOutcome> {
    const event = parseIngressEvent({ subject: env.subject, data: env.data });
    const { source, deliveryId } = event.data.delivery;
    return applyOnce(
      this.transactor,
      INGRESS_CONSUMER,
      env,
      (uow) => this.executor.handle(uow, event, ctx.logger),
      [`delivery:${source}:${deliveryId}`],
      ctx.deliveryCount,
    );
  }
}
