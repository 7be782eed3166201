import type pg from 'pg';
import type { RevocationStore } from '@horizon/run-tokens';

/** Revoked runs in `McpRevokedRun`; rows past their token's expiry are pruned on write. */
export class PgRevocationStore implements RevocationStore {
  constructor(private readonly pool: pg.Pool) {}

  async revoke(runId: string, until: Date): Promise<void> {
    await this.pool.query(
      `INSERT INTO "McpRevokedRun" ("runId", "expiresAt") VALUES ($1, $2)
       ON CONFLICT ("runId") DO UPDATE SET "expiresAt" = GREATEST("McpRevokedRun"."expiresAt", EXCLUDED."expiresAt")`,
      [runId, until],
    );
    await this.pool.query(`DELETE FROM "McpRevokedRun" WHERE "expiresAt" < now() - interval '1 day'`);
  }

  async isRevoked(runId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`SELECT 1 FROM "McpRevokedRun" WHERE "runId" = $1`, [runId]);
    return (rowCount ?? 0) > 0;
  }
}
