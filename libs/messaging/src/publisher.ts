import { PubAck } from '@nats-io/jetstream';
import { MsgHdrs, headers as natsHeaders } from '@nats-io/transport-node';
import { Envelope } from '@horizon/contracts';
import { JetStreamConnection } from './connection';
import { childTraceparent } from './trace';

export const HEADER = {
  type: 'Hzn-Type',
  version: 'Hzn-Version',
  correlation: 'Hzn-Correlation-Id',
  traceparent: 'traceparent',
  dlqReason: 'Hzn-Dlq-Reason',
  dlqSubject: 'Hzn-Dlq-Original-Subject',
  dlqStream: 'Hzn-Dlq-Original-Stream',
  dlqSeq: 'Hzn-Dlq-Original-Seq',
  dlqConsumer: 'Hzn-Dlq-Consumer',
  dlqDeliveries: 'Hzn-Dlq-Deliveries',
} as const;

export interface PublishOptions {
  /** The trace this message continues; a new one is started when absent. */
  traceparent?: string | null;
  timeoutMs?: number;
}

export interface PublishResult {
  stream: string;
  seq: number;
  /** True when JetStream had seen this Nats-Msg-Id within its window: nothing was added. */
  duplicate: boolean;
}

/**
 * Publishes envelopes to JetStream with the envelope id as `Nats-Msg-Id`, so a retried
 * publish of the same envelope is stored once.
 */
export class Publisher {
  constructor(private readonly connection: JetStreamConnection) {}

  async publish(envelope: Envelope, options: PublishOptions = {}): Promise<PublishResult> {
    const h = natsHeaders();
    h.set(HEADER.type, envelope.type);
    h.set(HEADER.version, String(envelope.version));
    h.set(HEADER.correlation, envelope.correlationId);
    h.set(HEADER.traceparent, childTraceparent(options.traceparent));
    const ack: PubAck = await this.connection.js.publish(
      this.connection.naming.subject(envelope.subject),
      JSON.stringify(envelope),
      { msgID: envelope.id, headers: h, timeout: options.timeoutMs ?? 5000 },
    );
    return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
  }

  /** Publishes raw bytes with given headers (used for the dead-letter stream). */
  async publishRaw(wireSubject: string, data: Uint8Array, h: MsgHdrs, msgID: string): Promise<PublishResult> {
    const ack = await this.connection.js.publish(wireSubject, data, { msgID, headers: h });
    return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
  }
}
