import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  apiWorkItemCancel,
  envelopeFor,
  ingressCancelWorkItem,
  ingressCreateApiToken,
  ingressListApiTokens,
  ingressReplayDelivery,
  ingressRevokeApiToken,
} from '@horizon/contracts';
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
    // The console's Cancel button: the same event as `POST /api/v1/work-items/:id/cancel`, so the
    // orchestrator has one way in for a cancellation and the console writes no one else's tables.
    this.rpc.serve(ingressCancelWorkItem, async ({ workItemId, reason, requestedBy }) => {
      const deliveryId = randomUUID();
      const envelope = envelopeFor(
        apiWorkItemCancel,
        {
          workItemId,
          reason,
          requestedBy,
          delivery: {
            source: 'api',
            deliveryId,
            event: 'work_item_cancel',
            action: null,
            receivedAt: new Date().toISOString(),
          },
        },
        { source: 'ingress', id: `api:${deliveryId}` },
      );
      const { duplicate } = await this.envelopes.publish(envelope);
      return { envelopeId: envelope.id, status: duplicate ? ('duplicate' as const) : ('accepted' as const) };
    });
  }
}
