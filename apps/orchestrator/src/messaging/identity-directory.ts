import { Injectable } from '@nestjs/common';
import { identityGet, identityResolve } from '@horizon/contracts';
import { RpcClient } from '@horizon/messaging';
import type { OwnerQuestion } from '../application/owner-lookup';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * identity-broker's answers to the orchestrator's owner questions (`hzn.rpc.identity.resolve`
 * and `.get`). An unreachable broker is an `RpcError` for the caller: no answer is not "nobody".
 */
@Injectable()
export class IdentityDirectory {
  constructor(private readonly rpc: RpcClient) {}

  async ask(question: OwnerQuestion): Promise<string | null> {
    if (question.kind === 'linked') {
      const { provider, externalId } = question;
      return (await this.rpc.call(identityResolve, { provider, externalId })).identity?.id ?? null;
    }
    // An owner named in a request that is not even an id names nobody.
    if (!UUID.test(question.identityId)) return null;
    return (await this.rpc.call(identityGet, { identityId: question.identityId })).identity?.id ?? null;
  }
}
