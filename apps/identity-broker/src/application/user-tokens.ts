import type { OAuthProvider } from '@horizon/contracts';
import { RpcError } from '@horizon/messaging';
import type { Logger } from '@horizon/observability';
import type { CredentialStore, StoredCredential } from '../persistence/credential-store';
import type { OAuthProviderClient, ProviderTokens } from '../oauth/providers';

const KIND = 'oauth';

interface StoredUserTokens {
  accessToken: string;
  refreshToken?: string;
  expiresAt?: string;
  refreshTokenExpiresAt?: string;
  login: string | null;
}

export interface UserToken {
  accessToken: string;
  expiresAt: Date | null;
  login: string | null;
}

/**
 * People's own tokens from OAuth linking, sealed in the Credential table. A token handed out
 * always has at least `marginMs` of life left: one closer to expiry is refreshed first, and a
 * background sweep refreshes the rest before they lapse (which also renews the refresh token).
 */
export class UserTokens {
  constructor(
    private readonly store: CredentialStore,
    private readonly providers: Partial<Record<OAuthProvider, OAuthProviderClient>>,
    private readonly marginMs: number,
    private readonly logger: Logger,
  ) {}

  async save(
    identityId: string,
    provider: OAuthProvider,
    tokens: ProviderTokens,
    login: string | null,
  ): Promise<void> {
    await this.store.put<StoredUserTokens>(
      this.key(identityId, provider),
      serialize(tokens, login),
      tokens.expiresAt ?? null,
    );
  }

  async get(identityId: string, provider: OAuthProvider, now = new Date()): Promise<UserToken | null> {
    const stored = await this.store.get<StoredUserTokens>(this.key(identityId, provider));
    if (!stored) return null;
    if (!this.expiring(stored, now)) return view(stored);
    return view(await this.refresh(stored));
  }

  /** The sweep: refresh every token of every provider that expires within the margin. */
  async refreshExpiring(now = new Date()): Promise<{ refreshed: number; failed: number }> {
    const due = await this.store.expiringBefore<StoredUserTokens>(
      KIND,
      new Date(now.getTime() + this.marginMs),
    );
    let refreshed = 0;
    let failed = 0;
    for (const credential of due) {
      try {
        await this.refresh(credential);
        refreshed++;
      } catch (err) {
        failed++;
        this.logger.warn(
          {
            identityId: credential.key.identityId,
            provider: credential.key.provider,
            err: (err as Error).message,
          },
          'token refresh failed',
        );
      }
    }
    return { refreshed, failed };
  }

  private async refresh(
    stored: StoredCredential<StoredUserTokens>,
  ): Promise<StoredCredential<StoredUserTokens>> {
    const provider = stored.key.provider as OAuthProvider;
    const client = this.providers[provider];
    if (!stored.secret.refreshToken || !client) {
      throw new RpcError(
        'expired',
        `the ${provider} token of identity ${stored.key.identityId} expires and cannot be refreshed; link again`,
      );
    }
    let tokens: ProviderTokens;
    try {
      tokens = await client.refresh(stored.secret.refreshToken);
    } catch (err) {
      // Refresh tokens are single use: another replica may have just used this one. If it
      // stored a fresh token meanwhile, that one is as good.
      const again = await this.store.get<StoredUserTokens>(stored.key);
      if (
        again &&
        again.secret.accessToken !== stored.secret.accessToken &&
        !this.expiring(again, new Date())
      )
        return again;
      throw new RpcError('refresh_failed', `${provider} token refresh failed: ${(err as Error).message}`);
    }
    const secret = serialize(tokens, stored.secret.login);
    await this.store.put(stored.key, secret, tokens.expiresAt ?? null);
    this.logger.info({ identityId: stored.key.identityId, provider }, 'user token refreshed');
    return { ...stored, secret, expiresAt: tokens.expiresAt ?? null };
  }

  /** Forgets a person's tokens at a provider, when the account they came from is unlinked. */
  async forget(identityId: string, provider: OAuthProvider): Promise<boolean> {
    return this.store.delete(this.key(identityId, provider));
  }

  private expiring(stored: StoredCredential<StoredUserTokens>, now: Date): boolean {
    return stored.expiresAt !== null && stored.expiresAt.getTime() - now.getTime() < this.marginMs;
  }

  private key(identityId: string, provider: OAuthProvider) {
    return { identityId, provider, kind: KIND };
  }
}

function serialize(tokens: ProviderTokens, login: string | null): StoredUserTokens {
  return {
    accessToken: tokens.accessToken,
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    ...(tokens.expiresAt ? { expiresAt: tokens.expiresAt.toISOString() } : {}),
    ...(tokens.refreshTokenExpiresAt
      ? { refreshTokenExpiresAt: tokens.refreshTokenExpiresAt.toISOString() }
      : {}),
    login,
  };
}

function view(stored: StoredCredential<StoredUserTokens>): UserToken {
  return { accessToken: stored.secret.accessToken, expiresAt: stored.expiresAt, login: stored.secret.login };
}
