import { appendToOutbox } from '@horizon/db';
import type { Tx } from '@horizon/db';
import type { ForgeEvent } from './domain/events';

/**
 * Commits the forge's events with the change they announce: the outbox for the bus, and an
 * InboxDelivery record so `horizon delivery replay local <id>` can replay it like any webhook.
 */
export async function emit(tx: Tx, events: ForgeEvent[]): Promise<void> {
  if (events.length === 0) return;
  await appendToOutbox(
    tx,
    events.map((e) => e.envelope),
  );
  await tx.inboxDelivery.createMany({
    data: events.map((e) => ({
      source: 'local',
      deliveryId: e.deliveryId,
      event: e.event,
      envelopeId: e.envelope.id,
      outcome: 'accepted',
      envelope: e.envelope as object,
    })),
  });
}
