import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ingressCreateApiToken, ingressReplayDelivery } from '@horizon/contracts';
import { Publisher, RpcError, RpcServer } from '@horizon/messaging';
import { ApiTokens } from '../application/api-tokens';
import { ReplayRefusedError, replayDelivery } from '../application/replay-delivery';
import { InboxDeliveryRepository } from '../persistence/inbox-delivery.repository';

/**
 * Answers `hzn.rpc.ingress.*`, the administration of what ingress owns (work API tokens,
 * recorded deliveries), so tools such as the CLI never touch its tables.
 */
@Injectable()
export class IngressAdminResponder implements OnApplicationBootstrap {
  constructor(
    private readonly rpc: RpcServer,
    private readonly tokens: ApiTokens,
    private readonly deliveries: InboxDeliveryRepository,
    private readonly publisher: Publisher,
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
    this.rpc.serve(ingressReplayDelivery, ({ source, deliveryId }) =>
      replayDelivery(this.deliveries, this.publisher, source, deliveryId).catch((err: unknown) => {
        if (err instanceof ReplayRefusedError) throw new RpcError(err.code, err.message);
        throw err;
      }),
    );
  }
}
