import type { TokenCaller } from '@horizon/contracts';
import { DEFAULT_RUN_TOKEN_PERMISSIONS } from '@horizon/contracts';
import type { App, InstallationPermissions } from '@horizon/integrations-github';
import { mintInstallationToken, revokeInstallationToken } from '@horizon/integrations-github';
import type { Logger } from '@horizon/observability';
import type { CredentialStore } from '../persistence/credential-store';

const KIND_PREFIX = 'run_token:';
/** A stored token with less life than this left is not handed out again; a fresh one is minted. */
const REUSE_MARGIN_MS = 10 * 60 * 1000;

interface StoredRunToken {
  token: string;
  repo: string;
  permissions: Record<string, string>;
  repositories: string[];
}

export interface RunToken {
  token: string;
  expiresAt: Date;
  repositories: string[];
  permissions: Record<string, string>;
}

/**
 * Installation tokens for runs: one repository, the run's permissions, under an hour. The
 * broker keeps each (sealed) under the run's id so the run's end can revoke it without the
 * orchestrator ever holding it.
 */
export class RunTokens {
  constructor(
    private readonly store: CredentialStore,
    private readonly app: () => Promise<App>,
    private readonly apiUrl: string,
    private readonly logger: Logger,
  ) {}

  async mint(request: {
    runId: string;
    repo: string;
    caller: TokenCaller;
    permissions?: InstallationPermissions;
  }): Promise<RunToken> {
    const [owner, name] = request.repo.split('/') as [string, string];
    const permissions = request.permissions ?? { ...DEFAULT_RUN_TOKEN_PERMISSIONS };
    const key = this.key(request.runId);
    const now = new Date();
    await this.store.deleteExpired(KIND_PREFIX, now);
    const stored = await this.store.get<StoredRunToken>(key);
    if (
      stored?.expiresAt &&
      stored.expiresAt.getTime() - now.getTime() > REUSE_MARGIN_MS &&
      stored.secret.repo === request.repo &&
      sameGrant(stored.secret.permissions, permissions)
    ) {
      this.logger.info(
        { runId: request.runId, caller: request.caller, repo: request.repo },
        'run token handed out again',
      );
      return {
        token: stored.secret.token,
        expiresAt: stored.expiresAt,
        repositories: stored.secret.repositories,
        permissions: stored.secret.permissions,
      };
    }
    const minted = await mintInstallationToken(await this.app(), { owner, repo: name, permissions });
    await this.store.put<StoredRunToken>(
      key,
      {
        token: minted.token,
        repo: request.repo,
        permissions: minted.permissions,
        repositories: minted.repositories,
      },
      minted.expiresAt,
    );
    if (stored) await this.revokeQuietly(stored.secret.token, request.runId);
    this.logger.info(
      {
        runId: request.runId,
        caller: request.caller,
        repo: request.repo,
        expiresAt: minted.expiresAt.toISOString(),
      },
      'run token minted',
    );
    return {
      token: minted.token,
      expiresAt: minted.expiresAt,
      repositories: minted.repositories,
      permissions: minted.permissions,
    };
  }

  /** Revokes the run's token at GitHub and forgets it; 0 when there was none (already revoked or expired). */
  async revoke(runId: string): Promise<number> {
    const key = this.key(runId);
    const stored = await this.store.get<StoredRunToken>(key);
    if (!stored) return 0;
    if (stored.expiresAt && stored.expiresAt > new Date())
      await revokeInstallationToken(stored.secret.token, this.apiUrl);
    await this.store.delete(key);
    this.logger.info({ runId }, 'run token revoked');
    return 1;
  }

  private key(runId: string) {
    return { identityId: null, provider: 'github' as const, kind: `${KIND_PREFIX}${runId}` };
  }

  private async revokeQuietly(token: string, runId: string): Promise<void> {
    await revokeInstallationToken(token, this.apiUrl).catch((err: Error) =>
      this.logger.warn(
        { runId, err: err.message },
        'could not revoke a superseded run token; it expires within the hour',
      ),
    );
  }
}

function sameGrant(held: Record<string, string>, asked: Record<string, string>): boolean {
  return (
    Object.entries(asked).every(([name, level]) => held[name] === level) &&
    Object.keys(held).every((name) => name === 'metadata' || name in asked)
  );
}
