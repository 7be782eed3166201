import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { API_SCOPES } from '@horizon/contracts';
import type { ApiScope, ApiTokenSummary } from '@horizon/contracts';
import type { ApiToken } from '@horizon/db';
import type { ApiTokenRepository } from '../persistence/api-token.repository';

export { API_SCOPES };
export type { ApiScope };

/** Tokens look like `hzn_<43 base64url chars>` (256 random bits); only their SHA-256 is stored. */
const TOKEN_PREFIX = 'hzn_';

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface NewApiToken {
  id: string;
  name: string;
  scopes: ApiScope[];
  expiresAt: Date | null;
  /** Shown once; only its hash is kept. */
  token: string;
}

/**
 * The token store (Postgres) did not answer: whether the caller may pass is not known, so the
 * request is to be retried later (503), not refused and not failed (500).
 */
export class TokenStoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`API tokens could not be read: ${(cause as Error).message}`, { cause });
    this.name = 'TokenStoreUnavailableError';
  }
}

export interface ApiPrincipal {
  tokenId: string;
  name: string;
  scopes: readonly string[];
}

/**
 * Work API tokens: created (the token is returned once), revoked, and resolved from bearer
 * tokens to principals; `lastUsedAt` is refreshed at most once a minute per token.
 */
export class ApiTokens {
  private readonly lastTouched = new Map<string, number>();

  constructor(
    private readonly repository: ApiTokenRepository,
    private readonly touchEveryMs = 60_000,
  ) {}

  async create(input: {
    name: string;
    scopes: readonly ApiScope[];
    expiresAt?: Date | null;
  }): Promise<NewApiToken> {
    const unknown = input.scopes.filter((s) => !API_SCOPES.includes(s));
    if (unknown.length > 0)
      throw new Error(`unknown scope(s) ${unknown.join(', ')}; known: ${API_SCOPES.join(', ')}`);
    if (input.scopes.length === 0) throw new Error('a token needs at least one scope');
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row = await this.repository.insert({
      id: randomUUID(),
      name: input.name,
      hash: hashApiToken(token),
      scopes: [...new Set(input.scopes)],
      expiresAt: input.expiresAt ?? null,
    });
    return { id: row.id, name: row.name, scopes: row.scopes as ApiScope[], expiresAt: row.expiresAt, token };
  }

  /** Every token, revoked ones included, without its hash. */
  async list(): Promise<ApiTokenSummary[]> {
    return (await this.repository.list()).map(summary);
  }

  /** Revokes a token now; null when there is no such token, `revoked` false when it already was. */
  async revoke(id: string): Promise<{ revoked: boolean; token: ApiTokenSummary } | null> {
    const revoked = await this.repository.revoke(id, new Date());
    const row = await this.repository.find(id);
    return row ? { revoked, token: summary(row) } : null;
  }

  async authenticate(token: string, now = new Date()): Promise<ApiPrincipal | null> {
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    const row = await this.repository.findByHash(hashApiToken(token)).catch((err: unknown) => {
      throw new TokenStoreUnavailableError(err);
    });
    if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
    if (now.getTime() - (this.lastTouched.get(row.id) ?? 0) >= this.touchEveryMs) {
      this.lastTouched.set(row.id, now.getTime());
      // Bookkeeping only: a failed write must not fail the request.
      void this.repository.touch(row.id, now).catch(() => undefined);
    }
    return { tokenId: row.id, name: row.name, scopes: row.scopes };
  }
}

function summary(row: ApiToken): ApiTokenSummary {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes as ApiScope[],
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
