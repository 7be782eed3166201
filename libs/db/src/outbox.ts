import type { Envelope } from '@horizon/contracts';
import type { Tx } from './client';

export const OUTBOX_CHANNEL = 'hzn_outbox';

/**
 * Appends envelopes to the outbox inside the caller's transaction, so they exist if and only
 * if the state change they announce committed. The NOTIFY is delivered at commit and wakes
 * the relay at once; the relay also polls, so a lost notification only delays.
 */
export async function appendToOutbox(tx: Tx, envelopes: Envelope[]): Promise<void> {
  if (envelopes.length === 0) return;
  await tx.outboxEvent.createMany({
    data: envelopes.map((e) => ({ id: e.id, subject: e.subject, envelope: e as object })),
  });
  await tx.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`;
}
