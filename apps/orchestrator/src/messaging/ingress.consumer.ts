import { Injectable } from '@nestjs/common';
import type { Envelope } from '@horizon/contracts';
import {
  apiWorkItemCancel,
  apiWorkItemCreate,
  apiWorkItemFollowUp,
  apiWorkItemRetry,
  apiWorkItemStart,
  apiWorkItemBudgetAnswer,
  githubCheckCompleted,
  githubInstallation,
  githubIssueComment,
  githubMergeConflict,
  githubPing,
  githubPullRequest,
  githubPullRequestReview,
  githubPullRequestReviewComment,
  linearAgentSession,
  linearComment,
  linearIssueChanged,
  scheduleFired,
  slackAppMention,
  slackThreadMessage,
  slackBudgetAnswer,
  triggerFired,
} from '@horizon/contracts';
import { HandleMessage, MessageConsumer, Outcome, RpcError } from '@horizon/messaging';
import type { HandlerOutcome, MessageContext } from '@horizon/messaging';
import { DecisionExecutor } from '../application/decision-executor';
import { withOwnerAnswers } from '../application/owner-lookup';
import { Transactor } from '../application/unit-of-work';
import { IngressEvent, parseIngressEvent } from '../domain';
import { IdentityDirectory } from './identity-directory';
import { applyOnce } from './apply-once';

export const INGRESS_CONSUMER = 'orchestrator-ingress';

type IngressEnvelope = Envelope<IngressEvent['data']>;

/**
 * Every normalized delivery that routing can act on. Each is applied once: the inbox is keyed
 * by the envelope id and by the sender's delivery id, so a redelivered message and a delivery
 * published twice (a webhook retried by its sender) are both no-ops. Installations, pings
 * and Linear comments route to nothing and are acked unread.
 * Who owns a new item is asked of identity-broker between transactions; while it does not
 * answer the delivery is retried with back-off (never recorded without its owner), and
 * dead-lettered with that reason once the retries are spent.
 */
@MessageConsumer({
  durable: INGRESS_CONSUMER,
  stream: 'INGRESS',
  ignore: [githubInstallation, githubPing, linearComment],
})
@Injectable()
export class IngressConsumer {
  constructor(
    private readonly transactor: Transactor,
    private readonly executor: DecisionExecutor,
    private readonly identities: IdentityDirectory,
  ) {}

  @HandleMessage(
    githubPullRequest,
    githubPullRequestReview,
    githubPullRequestReviewComment,
    githubIssueComment,
    githubCheckCompleted,
    githubMergeConflict,
    linearAgentSession,
    linearIssueChanged,
    slackAppMention,
    slackThreadMessage,
    slackBudgetAnswer,
    apiWorkItemCreate,
    apiWorkItemCancel,
    apiWorkItemFollowUp,
    apiWorkItemRetry,
    apiWorkItemStart,
    apiWorkItemBudgetAnswer,
    scheduleFired,
    triggerFired,
  )
  async handle(env: IngressEnvelope, ctx: MessageContext): Promise<HandlerOutcome> {
    const event = parseIngressEvent({ subject: env.subject, data: env.data });
    const { source, deliveryId } = event.data.delivery;
    try {
      return await withOwnerAnswers(
        (question) => this.identities.ask(question),
        (owners) =>
          applyOnce(
            this.transactor,
            INGRESS_CONSUMER,
            env,
            (uow) => this.executor.handle(uow, event, owners, ctx.logger),
            [`delivery:${source}:${deliveryId}`],
            ctx.deliveryCount,
          ),
      );
    } catch (err) {
      if (!(err instanceof RpcError)) throw err;
      const reason = `${source} delivery ${deliveryId} not applied: its owner could not be looked up (${err.message}); start identity-broker, or replay the delivery with \`horizon delivery replay ${source} ${deliveryId}\` once it runs`;
      ctx.logger.warn({ deliveryId, deliveryCount: ctx.deliveryCount }, reason);
      return Outcome.retry(reason);
    }
  }
}
