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
    const row = await this.db.prisma.outboxEvent.findUnique({ where: { id: envelopeId } });
    return row ? (envelopeSchema.parse(row.envelope) as Envelope) : null;
  }
}
