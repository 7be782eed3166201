import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { envelopeSchema } from '@horizon/contracts';
import { JetStreamConnection } from '@horizon/messaging';
import type { LiveEvent } from '../shared/console-api';
import { RecentEvents } from './recent-events';

/**
 * The facts the console shows live: work items and runs (not sandboxes' internals). Filtered
 * here rather than with several `filter_subjects`, which needs NATS 2.10 (Debian 12 has 2.9).
 */
const LIVE = /^hzn\.evt\.(workitem|run)\./;

/** How many recent live events a replica keeps for browsers that resume: minutes of a busy day. */
const KEEP = 10_000;

type Listener = (event: LiveEvent) => void;

/**
 * `HZN_EVT` for every browser on this replica: one ordered consumer (ephemeral, flow-controlled,
 * recreated by the client on a gap) fans each event out to all of them, and the recent ones are
 * kept so a browser resuming after the sequence it last saw replays them from memory. One that
 * resumes from further back first reads the stream with an ordered consumer of its own until it
 * meets what is kept, then joins the rest. Either way nothing is missed and nothing comes twice:
 * the stream's sequence is the SSE id.
 */
export class EventStream implements OnModuleInit, OnModuleDestroy {
  private readonly recent: RecentEvents;
  private readonly listeners = new Set<Listener>();
  private shared?: ConsumerMessages;

  constructor(
    private readonly connection: JetStreamConnection,
    keep = KEEP,
  ) {
    this.recent = new RecentEvents(keep);
  }

  async onModuleInit(): Promise<void> {
    const from = await this.position();
    this.recent.startAfter(from);
    this.shared = await this.consume(from + 1, (seq, event) => {
      if (seq <= this.recent.last) return false;
      this.recent.add(seq, event);
      if (event) for (const listener of this.listeners) listener(event);
      return false;
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.shared?.close();
  }

  /** The stream's last sequence now: read before a query, it is where that query's live updates start. */
  async position(): Promise<number> {
    const info = await this.connection.jsm.streams.info(this.connection.naming.stream('EVT'));
    return info.state.last_seq;
  }

  /** Live events after `after` (0: from now on), until `stop()` is called. */
  async follow(after: number, onEvent: Listener): Promise<{ stop: () => Promise<void> }> {
    // Each event once, in order, whichever way it comes: a page may have read a position this
    // replica has not reached yet, and catching up overlaps what is kept.
    let delivered = after === 0 ? this.recent.last : after;
    const deliver: Listener = (event) => {
      if (event.seq <= delivered) return;
      delivered = event.seq;
      onEvent(event);
    };
    if (delivered >= this.recent.floor) {
      this.join(delivered, deliver);
      return { stop: async () => void this.listeners.delete(deliver) };
    }
    // Further back than this replica keeps: read the stream until it meets what is kept.
    let own: ConsumerMessages | null = await this.consume(delivered + 1, (seq, event) => {
      if (event) deliver(event);
      if (seq < this.recent.floor) return false;
      this.join(seq, deliver);
      own = null;
      return true;
    });
    return {
      stop: async () => {
        this.listeners.delete(deliver);
        await own?.close();
      },
    };
  }

  /**
   * Everything kept after `seq`, then every new event. Synchronous, so no event lands between
   * the replay and the subscription.
   */
  private join(seq: number, deliver: Listener): void {
    for (const event of this.recent.after(seq)) deliver(event);
    this.listeners.add(deliver);
  }

  /**
   * An ordered consumer from `start`, calling `onMessage` with every message's sequence and its
   * live event (null when it is not one: another subject, or not an envelope — the bus
   * dead-letters those elsewhere), until `onMessage` answers true.
   */
  private async consume(
    start: number,
    onMessage: (seq: number, event: LiveEvent | null) => boolean,
  ): Promise<ConsumerMessages> {
    const { naming, js } = this.connection;
    const consumer = await js.consumers.get(naming.stream('EVT'), {
      filter_subjects: naming.subject('hzn.evt.>'),
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: start,
    });
    const messages = await consumer.consume();
    void (async () => {
      for await (const m of messages) {
        if (onMessage(m.seq, this.liveEvent(m))) return void (await messages.close());
      }
    })();
    return messages;
  }

  private liveEvent(m: JsMsg): LiveEvent | null {
    const subject = this.connection.naming.unprefix(m.subject) ?? m.subject;
    if (!LIVE.test(subject)) return null;
    const parsed = envelopeSchema.safeParse(m.json());
    if (!parsed.success) return null;
    return {
      seq: m.seq,
      subject,
      occurredAt: parsed.data.occurredAt,
      data: (parsed.data.data ?? {}) as Record<string, unknown>,
    };
  }
}
