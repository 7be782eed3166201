import type { Tx } from './client';

/**
 * The handler inbox: records that `consumer` applied `envelopeId`, inside the handler's own
 * transaction. Returns false when it was applied before — the handler then does nothing, so a
 * redelivered message is a no-op and an accepted event takes effect exactly once.
 */
export async function claimMessage(tx: Tx, consumer: string, envelopeId: string): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO "ProcessedMessage" ("consumer", "envelopeId") VALUES (${consumer}, ${envelopeId})
    ON CONFLICT DO NOTHING`;
  return inserted === 1;
}
