import { identityGet, type CommitPerson } from '@horizon/contracts';
import { localForgeNoreplyEmail } from '@horizon/local-forge-client';
import type { RpcClient } from '@horizon/messaging';

/** Who owns a run's work, for the owner's `Co-authored-by` trailer. */
export interface OwnerDirectory {
  /** The person, or why there is no trailer for them (never throws). */
  find(ownerId: string): Promise<{ owner: CommitPerson } | { owner: null; why: string }>;
}

/**
 * Owners through identity-broker: the identity's name, and the GitHub noreply address of its
 * linked GitHub account (`<id>+<login>@users.noreply.github.com`), which GitHub attributes to
 * them; without one, the local forge's address for their linked `local` account.
 */
export class IdentityOwnerDirectory implements OwnerDirectory {
  constructor(private readonly rpc: Pick<RpcClient, 'call'>) {}

  async find(ownerId: string): Promise<{ owner: CommitPerson } | { owner: null; why: string }> {
    try {
      const { identity } = await this.rpc.call(identityGet, { identityId: ownerId });
      if (!identity) return { owner: null, why: `owner ${ownerId} is not a known identity` };
      const github = identity.links.find((link) => link.provider === 'github' && link.login);
      if (github)
        return {
          owner: {
            name: identity.displayName,
            email: `${github.externalId}+${github.login}@users.noreply.github.com`,
          },
        };
      const local = identity.links.find((link) => link.provider === 'local' && link.login);
      if (local)
        return { owner: { name: identity.displayName, email: localForgeNoreplyEmail(local.login!) } };
      return { owner: null, why: `owner ${identity.displayName} has no GitHub or local account linked` };
    } catch (error) {
      return { owner: null, why: `owner ${ownerId} could not be resolved: ${(error as Error).message}` };
    }
  }
}
