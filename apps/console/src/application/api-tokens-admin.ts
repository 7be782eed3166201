import {
  ingressCreateApiToken,
  ingressListApiTokens,
  ingressRevokeApiToken,
  type ApiScope,
  type ApiTokenSummary,
} from '@horizon/contracts';
import { RpcError, type RpcClient } from '@horizon/messaging';
import type { AuditRepository } from '../persistence/audit.repository';
import type { CreatedApiToken } from '../shared/console-api';
import { AdminRefused, mustAdminister } from './people-admin.service';
import type { Viewer } from './sign-in.service';

/**
 * Work API tokens, which ingress makes and keeps (only their hashes): the console asks it over
 * RPC and never reads its tables. A token acts in every repository, so only an admin of every
 * repository (`*`) lists, creates or revokes them; each creation and revocation is audited.
 */
export class ApiTokensAdmin {
  constructor(
    private readonly rpc: RpcClient,
    private readonly audit: AuditRepository,
  ) {}

  async list(viewer: Viewer): Promise<ApiTokenSummary[]> {
    mustAdminister(viewer, '*');
    return (await this.rpc.call(ingressListApiTokens, {})).tokens;
  }

  async create(
    viewer: Viewer,
    request: { name: string; scopes: ApiScope[]; expiresAt: string | null },
  ): Promise<CreatedApiToken> {
    mustAdminister(viewer, '*');
    const created = await this.rpc.call(ingressCreateApiToken, request);
    await this.audit.record({
      personId: viewer.personId,
      actor: viewer.name,
      action: 'api_token.created',
      target: created.name,
      detail: { id: created.id, scopes: created.scopes, expiresAt: created.expiresAt },
    });
    return created;
  }

  async revoke(viewer: Viewer, id: string): Promise<ApiTokenSummary> {
    mustAdminister(viewer, '*');
    const outcome = await this.rpc.call(ingressRevokeApiToken, { id }).catch((err: unknown) => {
      if (err instanceof RpcError && err.code === 'not_found')
        throw new AdminRefused(`no work API token ${id}; it may have been deleted`, 404);
      throw err;
    });
    // Revoking a token already revoked changes nothing, so it is not audited twice.
    if (outcome.revoked)
      await this.audit.record({
        personId: viewer.personId,
        actor: viewer.name,
        action: 'api_token.revoked',
        target: outcome.token.name,
        detail: { id },
      });
    return outcome.token;
  }
}
