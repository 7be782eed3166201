import { randomUUID } from 'node:crypto';
import { Envelope, contractFor, envelopeSchema } from '@horizon/contracts';
import type { PrismaClient } from '@horizon/db';
import type { Publisher } from '@horizon/messaging';

export interface ReplayResult {
  originalId: string;
  envelopeId: string;
  subject: string;
  seq: number;
}

/**
 * Publishes a recorded delivery's envelope again, under a NEW envelope id
 * (`<original id>:replay:<uuid>`), caused by the original and in its correlation. A replay must be
 * processed again: under the original id JetStream would drop it within its de-duplication
 * window, and every consumer's inbox (ProcessedMessage) would skip it forever. The data is the
 * original's, so `data.delivery.deliveryId` still names the provider's delivery.
 */
export async function replayDelivery(
  prisma: PrismaClient,
  publisher: Pick<Publisher, 'publish'>,
  source: string,
  deliveryId: string,
): Promise<ReplayResult> {
  const row = await prisma.inboxDelivery.findUnique({ where: { source_deliveryId: { source, deliveryId } } });
  if (!row) throw new Error(`no delivery ${source}/${deliveryId} is recorded`);
  if (!row.envelope)
    throw new Error(
      `delivery ${source}/${deliveryId} was ${row.outcome} (${row.detail ?? 'no detail'}): it has no envelope to replay`,
    );
  const original = envelopeSchema.parse(row.envelope) as Envelope;
  const contract = contractFor(original.subject);
  if (!contract)
    throw new Error(
      `recorded envelope ${original.id} has subject ${original.subject}, which no contract names`,
    );
  contract.data.parse(original.data);
  const replay: Envelope = {
    ...original,
    id: `${original.id}:replay:${randomUUID()}`,
    occurredAt: new Date().toISOString(),
    causationId: original.id,
  };
  const ack = await publisher.publish(replay);
  return { originalId: original.id, envelopeId: replay.id, subject: replay.subject, seq: ack.seq };
}
