import type { Envelope } from '@horizon/contracts';
import type { Tx } from './client';

/**
 * The NOTIFY channel of one schema's outbox, so a relay wakes only for its own service's
 * rows. The writer names it by `current_schema()`: its connection's search_path.
 */
export function outboxChannel(schema: string): string {
  return `hzn_outbox_${schema}`;
}

/**
 * Appends envelopes to the outbox inside the caller's transaction, so they exist if and only
 * if the state change they announce committed. The NOTIFY is delivered at commit and wakes
 * the relay at once; the relay also polls, so a lost notification only delays.
 *
 * One raw statement (insert and notify together) rather than Prisma's createMany plus a
 * second call: this runs in every state change, and the query compiler dominated the
 * orchestrator's profile.
 */
export async function appendToOutbox(tx: Tx, envelopes: Envelope[]): Promise<void> {
  if (envelopes.length === 0) return;
  const ids = envelopes.map((e) => e.id);
  const subjects = envelopes.map((e) => e.subject);
  const bodies = envelopes.map((e) => JSON.stringify(e));
  await tx.$executeRaw`
    WITH inserted AS (
      INSERT INTO "OutboxEvent" ("id", "subject", "envelope")
      SELECT * FROM unnest(${ids}::text[], ${subjects}::text[], ${bodies}::jsonb[])
      RETURNING 1
    )
    SELECT pg_notify('hzn_outbox_' || current_schema(), '') FROM (SELECT count(*) FROM inserted) AS c`;
}
