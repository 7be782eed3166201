import { identityGet, type CommitPerson } from '@horizon/contracts';
import type { RpcClient } from '@horizon/messaging';

/** Who owns a run's work, for the owner's `Co-authored-by` trailer. */
export interface OwnerDirectory {
  /** The person, or why there is no trailer for them (never throws). */
  find(ownerId: string): Promise<{ owner: CommitPerson } | { owner: null; why: string }>;
}

/**
 * Owners through identity-broker: the identity's name, and the GitHub noreply address of its
 * linked GitHub account (`<id>+<login>@users.noreply.github.com`), which GitHub attributes to them.
 */
export class IdentityOwnerDirectory implements OwnerDirectory {
  constructor(private readonly rpc: Pick<RpcClient, 'call'>) {}

  async find(ownerId: string): Promise<{ owner: CommitPerson } | { owner: null; why: string }> {
    try {
      const { identity } = await this.rpc.call(identityGet, { identityId: ownerId });
      if (!identity) return { owner: null, why: `owner ${ownerId} is not a known identity` };
      const github = identity.links.find((link) => link.provider === 'github' && link.login);
      if (!github) return { owner: null, why: `owner ${identity.displayName} has no GitHub account linked` };
      return {
        owner: {
          name: identity.displayName,
          email: `${github.externalId}+${github.login}@users.noreply.github.com`,
        },
      };
    } catch (error) {
      return { owner: null, why: `owner ${ownerId} could not be resolved: ${(error as Error).message}` };
    }
  }
}
