import { Envelope, contractFor, envelopeSchema, replayOf } from '@horizon/contracts';
import type { PrismaClient } from '@horizon/db';
import type { Publisher } from '@horizon/messaging';

export interface ReplayResult {
  originalId: string;
  envelopeId: string;
  subject: string;
  seq: number;
}

/** Publishes a recorded delivery's envelope again, as `replayOf` the original (a new envelope id). */
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
  const replay = replayOf(original);
  const ack = await publisher.publish(replay);
  return { originalId: original.id, envelopeId: replay.id, subject: replay.subject, seq: ack.seq };
}
