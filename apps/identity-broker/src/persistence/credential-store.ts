import type { PrismaClient } from '@horizon/db';
import type { Provider } from '@horizon/contracts';
import { randomUUID } from 'node:crypto';
import type { Keyring } from '@horizon/keyring';

/** Where a credential lives: one row per identity, provider and kind (a run token has no identity). */
export interface CredentialKey {
  identityId: string | null;
  provider: Provider;
  kind: string;
}

export interface StoredCredential<T> {
  id: string;
  key: CredentialKey;
  secret: T;
  keyId: string;
  expiresAt: Date | null;
}

/** The additional data each ciphertext is bound to, so a row copied onto another never opens. */
export function credentialAad(key: CredentialKey): string {
  return `horizon-credential|${key.provider}|${key.kind}|${key.identityId ?? ''}`;
}

/**
 * The `Credential` table, sealed: secrets go in as JSON and are AES-256-GCM ciphertext in
 * Postgres; only this class sees them in the clear.
 */
export class CredentialStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly keyring: Keyring,
  ) {}

  async put<T>(key: CredentialKey, secret: T, expiresAt: Date | null): Promise<void> {
    const sealed = this.keyring.seal(JSON.stringify(secret), credentialAad(key));
    const columns = { ...sealed, expiresAt };
    const existing = await this.prisma.credential.findFirst({ where: key, select: { id: true } });
    if (existing) await this.prisma.credential.update({ where: { id: existing.id }, data: columns });
    else await this.prisma.credential.create({ data: { id: randomUUID(), ...key, ...columns } });
  }

  async get<T>(key: CredentialKey): Promise<StoredCredential<T> | null> {
    const row = await this.prisma.credential.findFirst({ where: key });
    return row ? this.opened<T>(row) : null;
  }

  async delete(key: CredentialKey): Promise<boolean> {
    const { count } = await this.prisma.credential.deleteMany({ where: key });
    return count > 0;
  }

  /** Credentials of one kind whose `expiresAt` falls before `before`, for the refresher. */
  async expiringBefore<T>(kind: string, before: Date): Promise<StoredCredential<T>[]> {
    const rows = await this.prisma.credential.findMany({ where: { kind, expiresAt: { lt: before } } });
    return rows.map((row) => this.opened<T>(row));
  }

  async deleteExpired(kindPrefix: string, now: Date): Promise<number> {
    const { count } = await this.prisma.credential.deleteMany({
      where: { kind: { startsWith: kindPrefix }, expiresAt: { lt: now } },
    });
    return count;
  }

  /**
   * Re-seals every row not under the current key. Each update is conditional on the key id it
   * read, so a row rewritten meanwhile by the service (already under the new key) is left alone.
   */
  async rotate(batchSize = 100): Promise<{ rotated: number; remaining: number }> {
    let rotated = 0;
    let cursor: string | undefined;
    for (;;) {
      const rows = await this.prisma.credential.findMany({
        where: { keyId: { not: this.keyring.currentKeyId }, ...(cursor ? { id: { gt: cursor } } : {}) },
        orderBy: { id: 'asc' },
        take: batchSize,
      });
      if (rows.length === 0) break;
      for (const row of rows) {
        const aad = credentialAad(keyOf(row));
        const sealed = this.keyring.seal(this.keyring.open(row, aad), aad);
        const { count } = await this.prisma.credential.updateMany({
          where: { id: row.id, keyId: row.keyId },
          data: sealed,
        });
        rotated += count;
      }
      cursor = rows[rows.length - 1]!.id;
    }
    const remaining = await this.prisma.credential.count({
      where: { keyId: { not: this.keyring.currentKeyId } },
    });
    return { rotated, remaining };
  }

  private opened<T>(row: CredentialRow): StoredCredential<T> {
    const key = keyOf(row);
    return {
      id: row.id,
      key,
      secret: JSON.parse(this.keyring.open(row, credentialAad(key))) as T,
      keyId: row.keyId,
      expiresAt: row.expiresAt,
    };
  }
}

type CredentialRow = {
  id: string;
  identityId: string | null;
  provider: Provider;
  kind: string;
  keyId: string;
  ciphertext: Uint8Array;
  iv: Uint8Array;
  authTag: Uint8Array;
  expiresAt: Date | null;
};

function keyOf(row: CredentialRow): CredentialKey {
  return { identityId: row.identityId, provider: row.provider, kind: row.kind };
}
