import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { PrismaClient } from '@horizon/db';

export const API_SCOPES = ['work:read', 'work:write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

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

export async function createApiToken(
  prisma: PrismaClient,
  input: { name: string; scopes: readonly ApiScope[]; expiresAt?: Date | null },
): Promise<NewApiToken> {
  const unknown = input.scopes.filter((s) => !API_SCOPES.includes(s));
  if (unknown.length > 0)
    throw new Error(`unknown scope(s) ${unknown.join(', ')}; known: ${API_SCOPES.join(', ')}`);
  if (input.scopes.length === 0) throw new Error('a token needs at least one scope');
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const row = await prisma.apiToken.create({
    data: {
      id: randomUUID(),
      name: input.name,
      hash: hashApiToken(token),
      scopes: [...new Set(input.scopes)],
      expiresAt: input.expiresAt ?? null,
    },
  });
  return { id: row.id, name: row.name, scopes: row.scopes as ApiScope[], expiresAt: row.expiresAt, token };
}

export async function revokeApiToken(prisma: PrismaClient, id: string): Promise<boolean> {
  const { count } = await prisma.apiToken.updateMany({
    where: { id, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count === 1;
}

export interface ApiPrincipal {
  tokenId: string;
  name: string;
  scopes: readonly string[];
}

/** Resolves bearer tokens to principals; `lastUsedAt` is refreshed at most once a minute per token. */
export class ApiTokenStore {
  private readonly lastTouched = new Map<string, number>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly touchEveryMs = 60_000,
  ) {}

  async authenticate(token: string, now = new Date()): Promise<ApiPrincipal | null> {
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    const row = await this.prisma.apiToken.findUnique({ where: { hash: hashApiToken(token) } });
    if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
    if (now.getTime() - (this.lastTouched.get(row.id) ?? 0) >= this.touchEveryMs) {
      this.lastTouched.set(row.id, now.getTime());
      // Bookkeeping only: a failed write must not fail the request.
      void this.prisma.apiToken
        .update({ where: { id: row.id }, data: { lastUsedAt: now } })
        .catch(() => undefined);
    }
    return { tokenId: row.id, name: row.name, scopes: row.scopes };
  }
}
