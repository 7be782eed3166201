import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  apiWorkItemCancel,
  apiWorkItemFollowUp,
  apiWorkItemRetry,
  apiWorkItemStart,
  envelopeFor,
  apiWorkItemBudgetAnswer,
  ingressAnswerBudget,
  ingressCancelWorkItem,
  ingressCreateApiToken,
  ingressFollowUpWorkItem,
  ingressListApiTokens,
  ingressReplayDelivery,
  ingressRetryWorkItem,
  ingressRevokeApiToken,
  ingressStartWorkItem,
} from '@horizon/contracts';
import type { Contract, DataOf, DeliveryOf } from '@horizon/contracts';
import { Publisher, RpcError, RpcServer } from '@horizon/messaging';
import { ApiTokens } from '../application/api-tokens';
import { ReplayRefusedError, replayDelivery } from '../application/replay-delivery';
import { InboxDeliveryRepository } from '../persistence/inbox-delivery.repository';
import { JetStreamEnvelopePublisher } from './jetstream-publisher';

/**
 * Answers `hzn.rpc.ingress.*`, the administration of what ingress owns (work API tokens,
 * recorded deliveries), so tools such as the CLI never touch its tables; and requests other
 * services make on a person's behalf, which enter Horizon the way the work API's do.
 */
@Injectable()
export class IngressAdminResponder implements OnApplicationBootstrap {
  constructor(
    private readonly rpc: RpcServer,
    private readonly tokens: ApiTokens,
    private readonly deliveries: InboxDeliveryRepository,
    private readonly publisher: Publisher,
    private readonly envelopes: JetStreamEnvelopePublisher,
  ) {}

  onApplicationBootstrap(): void {
    this.rpc.serve(ingressCreateApiToken, async ({ name, scopes, expiresAt }) => {
      const created = await this.tokens.create({
        name,
        scopes,
        expiresAt: expiresAt === null ? null : new Date(expiresAt),
      });
      return { ...created, expiresAt: created.expiresAt?.toISOString() ?? null };
    });
    this.rpc.serve(ingressListApiTokens, async () => ({ tokens: await this.tokens.list() }));
    this.rpc.serve(ingressRevokeApiToken, async ({ id }) => {
      const outcome = await this.tokens.revoke(id);
      if (!outcome) throw new RpcError('not_found', `ingress has no work API token ${id}`);
      return outcome;
    });
    this.rpc.serve(ingressReplayDelivery, ({ source, deliveryId }) =>
      replayDelivery(this.deliveries, this.publisher, source, deliveryId).catch((err: unknown) => {
        if (err instanceof ReplayRefusedError) throw new RpcError(err.code, err.message);
        throw err;
      }),
    );
    // The console's steering: each is an event the orchestrator decides the one way it always
    // does (cancel and start are the work API's own events), so the console writes no one
    // else's tables.
    this.rpc.serve(ingressCancelWorkItem, (request) =>
      this.publishFor(apiWorkItemCancel, 'work_item_cancel', request),
    );
    this.rpc.serve(ingressFollowUpWorkItem, (request) =>
      this.publishFor(apiWorkItemFollowUp, 'work_item_follow_up', { ...request, origin: 'console' as const }),
    );
    this.rpc.serve(ingressRetryWorkItem, (request) =>
      this.publishFor(apiWorkItemRetry, 'work_item_retry', request),
    );
    this.rpc.serve(ingressStartWorkItem, (request) =>
      this.publishFor(apiWorkItemStart, 'work_item_start', request),
    );
    this.rpc.serve(ingressAnswerBudget, (request) =>
      this.publishFor(apiWorkItemBudgetAnswer, 'work_item_budget_answer', request),
    );
  }

  /** Publishes a request made on someone's behalf as an API delivery of its own. */
  private async publishFor<C extends Contract>(
    contract: C,
    event: string,
    data: Omit<DataOf<C>, 'delivery'>,
  ): Promise<{ envelopeId: string; status: 'accepted' | 'duplicate' }> {
    const deliveryId = randomUUID();
    const delivery: DeliveryOf = {
      source: 'api',
      deliveryId,
      event,
      action: null,
      receivedAt: new Date().toISOString(),
    };
    const envelope = envelopeFor(contract, { ...data, delivery } as DataOf<C>, {
      source: 'ingress',
      id: `api:${deliveryId}`,
    });
    const { duplicate } = await this.envelopes.publish(envelope);
    return { envelopeId: envelope.id, status: duplicate ? 'duplicate' : 'accepted' };
  }
}
