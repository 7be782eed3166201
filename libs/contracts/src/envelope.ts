import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/**
 * Every message that crosses NATS travels in this envelope (DESIGN §4). `id` is the
 * idempotency key: it is the JetStream `Nats-Msg-Id` and the key a handler records in its
 * inbox, so a redelivery is recognised wherever it lands.
 */
export const envelopeSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.string().datetime({ offset: true }),
  source: z.string().min(1),
  subject: z.string().min(1),
  correlationId: z.string().min(1),
  causationId: z.string().min(1).nullable(),
  data: z.unknown(),
});

export type Envelope<TData = unknown> = Omit<z.infer<typeof envelopeSchema>, 'data'> & { data: TData };

export interface EnvelopeInit<TData> {
  type: string;
  version: number;
  subject: string;
  source: string;
  data: TData;
  /** Defaults to a new UUID; pass a deterministic id (e.g. `github:<delivery>`) to de-duplicate. */
  id?: string;
  /** The envelope this one was caused by: its correlation id is inherited. */
  causedBy?: Pick<Envelope, 'id' | 'correlationId'>;
  correlationId?: string;
  occurredAt?: Date;
}

export function createEnvelope<TData>(init: EnvelopeInit<TData>): Envelope<TData> {
  const id = init.id ?? randomUUID();
  return {
    id,
    type: init.type,
    version: init.version,
    occurredAt: (init.occurredAt ?? new Date()).toISOString(),
    source: init.source,
    subject: init.subject,
    correlationId: init.correlationId ?? init.causedBy?.correlationId ?? id,
    causationId: init.causedBy?.id ?? null,
    data: init.data,
  };
}

/**
 * The same message again under a NEW id (`<original id>:replay:<uuid>`), caused by the original
 * and in its correlation. A replay must be processed again: under the original id JetStream
 * would drop it within its de-duplication window, and every consumer's inbox would skip it. The
 * data is the original's, so `data.delivery.deliveryId` still names the sender's delivery.
 */
export function replayOf<TData>(original: Envelope<TData>): Envelope<TData> {
  return {
    ...original,
    id: `${original.id}:replay:${randomUUID()}`,
    occurredAt: new Date().toISOString(),
    causationId: original.id,
  };
}
