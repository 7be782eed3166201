import { identityList, identityUnlink, type Provider } from '@horizon/contracts';
import { RpcError, type RpcClient } from '@horizon/messaging';
import { roleIn } from '../domain/access';
import type { AuditRepository } from '../persistence/audit.repository';
import type { PeopleRepository } from '../persistence/people.repository';
import type { IdentityList } from '../shared/console-api';
import { AdminRefused, mustAdminister } from './people-admin.service';
import type { Viewer } from './sign-in.service';

/**
 * People's linked accounts, which identity-broker keeps: asked over its RPC, never read from its
 * tables. They span every repository, so only an admin of every repository lists them, or
 * unlinks anyone's; a person may unlink their own. The broker holds that rule too; the console
 * says who asks (the person's own identity, and whether they are such an admin) and audits it.
 */
export class IdentityLinks {
  constructor(
    private readonly rpc: RpcClient,
    private readonly people: PeopleRepository,
    private readonly audit: AuditRepository,
  ) {}

  list(viewer: Viewer): Promise<IdentityList> {
    mustAdminister(viewer, '*');
    return this.rpc.call(identityList, {});
  }

  async unlink(
    viewer: Viewer,
    identityId: string,
    account: { provider: Provider; externalId: string },
  ): Promise<IdentityList['identities'][number]> {
    const actor = {
      identityId: await this.people.identityOf(viewer.personId),
      admin: roleIn(viewer.grants, '*') === 'admin',
      name: viewer.name,
    };
    const { identity } = await this.rpc
      .call(identityUnlink, { identityId, ...account, actor })
      .catch((err: unknown) => {
        if (err instanceof RpcError && (err.code === 'forbidden' || err.code === 'not_found'))
          throw new AdminRefused(
            err.message.replace(/^hzn\.rpc\.[\w.]+: /, ''),
            err.code === 'forbidden' ? 403 : 404,
          );
        throw err;
      });
    await this.audit.record({
      personId: viewer.personId,
      actor: viewer.name,
      action: 'identity.unlinked',
      target: identity.displayName,
      detail: { identityId, provider: account.provider, externalId: account.externalId },
    });
    return identity;
  }
}
