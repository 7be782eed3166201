import { Injectable } from '@nestjs/common';
import { replayOf } from '@horizon/contracts';
import { notFound } from '../domain/errors';
import { envelopeIdOf } from '../domain/events';
import { EventOutbox } from '../persistence/event-outbox';
import { ForgeTransactions } from '../persistence/transactions';

/**
 * Replays one of the forge's deliveries (`horizon delivery replay local <deliveryId>`): its
 * event, kept in the forge's outbox, is appended again under a new envelope id, caused by the
 * original, and the relay publishes it.
 */
@Injectable()
export class DeliveryReplayService {
  constructor(
    private readonly outbox: EventOutbox,
    private readonly transactions: ForgeTransactions,
  ) {}

  async replay(deliveryId: string): Promise<{ originalId: string; envelopeId: string; subject: string }> {
    const original = await this.outbox.find(envelopeIdOf(deliveryId));
    if (!original) throw notFound(`delivery local/${deliveryId}`);
    const replay = replayOf(original);
    await this.transactions.run(async () => ({ value: undefined, events: [{ envelope: replay }] }));
    return { originalId: original.id, envelopeId: replay.id, subject: replay.subject };
  }
}
