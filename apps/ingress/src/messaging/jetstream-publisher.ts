import type { Envelope } from '@horizon/contracts';
import { JetStreamConnection, Publisher } from '@horizon/messaging';
import type { EnvelopePublisher } from '../application/accept';

/**
 * Publishes to JetStream and fails at once while the NATS connection is down: the client would
 * otherwise buffer the publish until its timeout, and the sender would wait for a 503 it could
 * have had immediately.
 */
export class JetStreamEnvelopePublisher implements EnvelopePublisher {
  private connected = true;

  constructor(
    private readonly publisher: Publisher,
    connection: JetStreamConnection,
    private readonly timeoutMs: number,
  ) {
    void (async () => {
      for await (const status of connection.nc.status()) {
        if (status.type === 'disconnect') this.connected = false;
        else if (status.type === 'reconnect') this.connected = true;
      }
    })();
  }

  async publish(envelope: Envelope): Promise<{ duplicate: boolean }> {
    if (!this.connected) throw new Error('NATS connection is down (reconnecting)');
    const { duplicate } = await this.publisher.publish(envelope, { timeoutMs: this.timeoutMs });
    return { duplicate };
  }
}
