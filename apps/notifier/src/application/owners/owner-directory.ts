import { identityGet } from '@horizon/contracts';
import type { RpcClient } from '@horizon/messaging';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Who an owner is in Slack: their identity's `slack` link (Slack user id `U…`, one workspace),
 * from identity-broker (`identity.get`). An `RpcError` (the broker unreachable) reaches the caller.
 */
export class OwnerDirectory {
  constructor(private readonly rpc: Pick<RpcClient, 'call'>) {}

  async slackUserOf(ownerId: string): Promise<string | null> {
    // Owners are identity ids; anything else (a system actor) has no Slack account.
    if (!UUID.test(ownerId)) return null;
    const { identity } = await this.rpc.call(identityGet, { identityId: ownerId });
    return identity?.links.find((l) => l.provider === 'slack')?.externalId ?? null;
  }
}
