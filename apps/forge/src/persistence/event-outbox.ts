import { Inject, Injectable } from '@nestjs/common';
import { Envelope, envelopeSchema } from '@horizon/contracts';
import { appendToOutbox, DATABASE } from '@horizon/db';
import type { Database, Tx } from '@horizon/db';

/**
 * The forge's own outbox: its events commit with the change they announce, and its relay
 * (`DbModule.forRoot({ relay: true })`) publishes each to HZN_INGRESS under its envelope id, so
 * a crash between commit and publish still publishes it once. Sent rows stay, marked sent.
 */
@Injectable()
export class EventOutbox {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async append(tx: Tx, envelopes: Envelope[]): Promise<void> {
    if (envelopes.length > 0) await appendToOutbox(tx, envelopes);
  }

  /** An envelope the forge emitted, by its id, or null. */
  async find(envelopeId: string): Promise<Envelope | null> {
    // Plain SQL: "OutboxEvent" is the forge's through its connection's search_path, which
    // Prisma's model (bound to one schema) would not follow.
    const { rows } = await this.db.pool.query<{ envelope: unknown }>(
      'SELECT "envelope" FROM "OutboxEvent" WHERE "id" = $1',
      [envelopeId],
    );
    return rows[0] ? (envelopeSchema.parse(rows[0].envelope) as Envelope) : null;
  }
}
