import { DeliverPolicy, type ConsumerMessages } from '@nats-io/jetstream';
import { envelopeSchema } from '@horizon/contracts';
import { JetStreamConnection } from '@horizon/messaging';
import type { LiveEvent } from '../shared/console-api';

/**
 * The facts the console shows live: work items and runs (not sandboxes' internals). Filtered
 * here rather than with several `filter_subjects`, which needs NATS 2.10 (Debian 12 has 2.9).
 */
const LIVE = /^hzn\.evt\.(workitem|run)\./;

/**
 * Reads `HZN_EVT` for one browser: an ordered consumer (ephemeral, flow-controlled, recreated
 * by the client on a gap) that starts right after the sequence the browser last saw, so a
 * reconnect resumes with nothing missed and nothing twice — the stream's sequence is the SSE id.
 */
export class EventStream {
  constructor(private readonly connection: JetStreamConnection) {}

  /** The stream's last sequence now: read before a query, it is where that query's live updates start. */
  async position(): Promise<number> {
    const info = await this.connection.jsm.streams.info(this.connection.naming.stream('EVT'));
    return info.state.last_seq;
  }

  /** Live events after `after` (0: from now on), until `stop()` is called. */
  async follow(after: number, onEvent: (event: LiveEvent) => void): Promise<{ stop: () => Promise<void> }> {
    const { naming, js } = this.connection;
    const start = after > 0 ? after + 1 : (await this.position()) + 1;
    const consumer = await js.consumers.get(naming.stream('EVT'), {
      filter_subjects: naming.subject('hzn.evt.>'),
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: start,
    });
    const messages: ConsumerMessages = await consumer.consume();
    void (async () => {
      for await (const m of messages) {
        const subject = naming.unprefix(m.subject) ?? m.subject;
        if (!LIVE.test(subject)) continue;
        const parsed = envelopeSchema.safeParse(m.json());
        // A message that is not an envelope is not ours to show; the bus dead-letters it elsewhere.
        if (!parsed.success) continue;
        onEvent({
          seq: m.seq,
          subject,
          occurredAt: parsed.data.occurredAt,
          data: (parsed.data.data ?? {}) as Record<string, unknown>,
        });
      }
    })();
    return {
      stop: async () => {
        await messages.close();
      },
    };
  }
}
