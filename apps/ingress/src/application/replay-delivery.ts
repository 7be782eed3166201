import { Envelope, contractFor, envelopeSchema, replayOf } from '@horizon/contracts';
import type { Publisher } from '@horizon/messaging';
import type { InboxDeliveryRepository } from '../persistence/inbox-delivery.repository';

export interface ReplayResult {
  originalId: string;
  envelopeId: string;
  subject: string;
  seq: number;
}

/** Why a delivery cannot be replayed: `not_found` (never recorded) or `not_replayable` (no envelope kept). */
export class ReplayRefusedError extends Error {
  constructor(
    readonly code: 'not_found' | 'not_replayable',
    message: string,
  ) {
    super(message);
    this.name = 'ReplayRefusedError';
  }
}

/** Publishes a recorded delivery's envelope again, as `replayOf` the original (a new envelope id). */
export async function replayDelivery(
  deliveries: Pick<InboxDeliveryRepository, 'find'>,
  publisher: Pick<Publisher, 'publish'>,
  source: string,
  deliveryId: string,
): Promise<ReplayResult> {
  const row = await deliveries.find(source, deliveryId);
  if (!row) throw new ReplayRefusedError('not_found', `no delivery ${source}/${deliveryId} is recorded`);
  if (!row.envelope)
    throw new ReplayRefusedError(
      'not_replayable',
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
