import { appendToOutbox } from '@horizon/db';
import type { Tx } from '@horizon/db';
import type { ForgeEvent } from '../domain/events';

/**
 * Commits the forge's events with the change they announce, in the forge's own outbox; its
 * relay (`DbModule.forRoot({ relay: true })`) publishes each to HZN_INGRESS under its envelope
 * id (`local:<deliveryId>`), so a crash between commit and publish still publishes it once.
 */
export async function appendEvents(tx: Tx, events: ForgeEvent[]): Promise<void> {
  if (events.length > 0)
    await appendToOutbox(
      tx,
      events.map((e) => e.envelope),
    );
}
