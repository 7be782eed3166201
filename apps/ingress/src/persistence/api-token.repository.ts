import type { ApiToken, PrismaClient } from '@horizon/db';

/** The ApiToken table: hashes of work API tokens, with their scopes. */
export class ApiTokenRepository {
  constructor(private readonly prisma: PrismaClient) {}

  insert(row: Pick<ApiToken, 'id' | 'name' | 'hash' | 'scopes' | 'expiresAt'>): Promise<ApiToken> {
    return this.prisma.apiToken.create({ data: row });
  }

  find(id: string): Promise<ApiToken | null> {
    return this.prisma.apiToken.findUnique({ where: { id } });
  }

  findByHash(hash: string): Promise<ApiToken | null> {
    return this.prisma.apiToken.findUnique({ where: { hash } });
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.prisma.apiToken.update({ where: { id }, data: { lastUsedAt: at } });
  }

  /** True when an active token was revoked now. */
  async revoke(id: string, at: Date): Promise<boolean> {
    const { count } = await this.prisma.apiToken.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: at },
    });
    return count === 1;
  }

  list(): Promise<ApiToken[]> {
    return this.prisma.apiToken.findMany({ orderBy: { createdAt: 'asc' } });
  }
}
