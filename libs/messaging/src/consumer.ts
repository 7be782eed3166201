import { AckPolicy, ConsumerConfig, ConsumerMessages, DeliverPolicy, JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders, nanos } from '@nats-io/transport-node';
import { z } from 'zod';
import { Contract, Envelope, contractFor, envelopeSchema } from '@horizon/contracts';
import { Logger, envelopeLogContext } from '@horizon/observability';
import { Counter } from 'prom-client';
import { JetStreamConnection } from './connection';
import { STREAMS, StreamKey } from './naming';
import { HandlerOutcome, MessageHandler } from './outcome';
import { HEADER, Publisher } from './publisher';
import { consumerFilter } from './subjects';

export interface ConsumerSpec {
  /** Durable consumer name; one per (service, purpose). Scaled-out replicas share it. */
  durable: string;
  stream: StreamKey;
  /**
   * The one filter NATS 2.9 allows a consumer. Leave it out and it is the narrowest subject
   * covering the handled contracts; declare it only where the consumer must see more, and every
   * handled subject must lie inside it (checked at start).
   */
  filterSubject?: string;
  handlers: ReadonlyMap<string, MessageHandler>;
  /**
   * Contracts the filter delivers that this consumer acknowledges unread. Any other subject
   * without a handler is dead-lettered ("no handler for subject X").
   */
  ignore?: readonly Contract[];
  /** Deliveries before a retried message is dead-lettered (default 5). */
  maxDeliver?: number;
  /** Nak delay by attempt; the last value repeats (default 1s, 5s, 15s, 60s). */
  backoffMs?: number[];
  /** How long a delivery may stay unacked before JetStream redelivers it (default 30 s). */
  ackWaitMs?: number;
  /** Messages handled at once by this process (default 8). */
  concurrency?: number;
}

export interface ConsumerMetrics {
  outcomes?: Counter<string>;
}

type Verdict = { outcome: HandlerOutcome; contractSubject: string };

/**
 * Runs one durable pull consumer: parses each message against its contract, calls the
 * handler, and ends every delivery in an explicit ack, nak(delay) or term — dead-lettering
 * what cannot or may no longer be processed, with the reason, so nothing is dropped silently.
 */
export class ConsumerRunner {
  private messages?: ConsumerMessages;
  private readonly inFlight = new Set<Promise<void>>();
  private loop?: Promise<void>;
  private bound = false;
  private readonly ignored: ReadonlySet<string>;
  /** The filter subject the consumer binds with (contract subject, without the prefix). */
  readonly filterSubject: string;

  constructor(
    private readonly connection: JetStreamConnection,
    private readonly publisher: Publisher,
    private readonly spec: ConsumerSpec,
    private readonly logger: Logger,
    private readonly metrics: ConsumerMetrics = {},
  ) {
    this.ignored = new Set((spec.ignore ?? []).map((c) => c.subject));
    this.filterSubject = consumerFilter({
      durable: spec.durable,
      streamSubjects: STREAMS[spec.stream].subjects,
      filterSubject: spec.filterSubject,
      handlers: [...spec.handlers].map(([subject, fn]) => ({
        subject,
        handler: fn.name.replace(/^bound /, '') || `for ${subject}`,
      })),
      ignored: [...this.ignored],
    });
  }

  get isBound(): boolean {
    return this.bound;
  }

  private get maxDeliver(): number {
    return this.spec.maxDeliver ?? 5;
  }

  async start(): Promise<void> {
    const { js, naming } = this.connection;
    const stream = naming.stream(this.spec.stream);
    const config: Partial<ConsumerConfig> = {
      durable_name: this.spec.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: naming.subject(this.filterSubject),
      ack_wait: nanos(this.spec.ackWaitMs ?? 30_000),
      // Unlimited on the server: we count deliveries ourselves and dead-letter, so a message
      // whose last delivery died with its process is not stranded.
      max_deliver: -1,
      max_ack_pending: 1000,
    };
    try {
      await this.bind(stream, config);
    } catch (err) {
      const message = (err as Error).message;
      // A work-queue stream hands each message to one consumer only, so it refuses filters that overlap.
      const hint = /not unique/i.test(message)
        ? `: another consumer on ${stream} has a filter overlapping ${this.filterSubject}; narrow one of them`
        : '';
      throw new Error(
        `consumer ${this.spec.durable} (filter ${this.filterSubject}) could not bind to ${stream}: ${message}${hint}`,
        { cause: err },
      );
    }
    const consumer = await js.consumers.get(stream, this.spec.durable);
    const concurrency = this.spec.concurrency ?? 8;
    this.messages = await consumer.consume({ max_messages: concurrency });
    this.bound = true;
    this.loop = this.run(this.messages, concurrency);
  }

  private async bind(stream: string, config: Partial<ConsumerConfig>): Promise<void> {
    const { jsm } = this.connection;
    try {
      await jsm.consumers.info(stream, this.spec.durable);
    } catch (err) {
      if (!/consumer not found/i.test((err as Error).message)) throw err;
      await jsm.consumers.add(stream, config);
      return;
    }
    await jsm.consumers.update(stream, this.spec.durable, {
      ack_wait: config.ack_wait,
      max_deliver: config.max_deliver,
      max_ack_pending: config.max_ack_pending,
      filter_subject: config.filter_subject,
    });
  }

  private async run(messages: ConsumerMessages, concurrency: number): Promise<void> {
    for await (const msg of messages) {
      while (this.inFlight.size >= concurrency) await Promise.race(this.inFlight);
      const task = this.handle(msg).finally(() => this.inFlight.delete(task));
      this.inFlight.add(task);
    }
  }

  /** Stops pulling, lets in-flight handlers finish (their outcomes are sent), then returns. */
  async stop(): Promise<void> {
    this.bound = false;
    await this.messages?.close();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
    // Acks are fire-and-forget publishes: a round trip guarantees the server has them before
    // the caller closes the connection.
    if (!this.connection.nc.isClosed()) await this.connection.nc.flush().catch(() => undefined);
  }

  private async handle(msg: JsMsg): Promise<void> {
    let verdict: Verdict;
    try {
      verdict = await this.decide(msg);
    } catch (err) {
      verdict = {
        outcome: { kind: 'retry', reason: `handler threw: ${(err as Error).message}` },
        contractSubject: msg.subject,
      };
    }
    await this.settle(msg, verdict);
  }

  private async decide(msg: JsMsg): Promise<Verdict> {
    const contractSubject = this.connection.naming.unprefix(msg.subject) ?? msg.subject;
    const invalid = (reason: string): Verdict => ({ outcome: { kind: 'reject', reason }, contractSubject });
    let raw: unknown;
    try {
      raw = JSON.parse(msg.string());
    } catch (err) {
      return invalid(`payload is not JSON: ${(err as Error).message}`);
    }
    const parsed = envelopeSchema.safeParse(raw);
    if (!parsed.success) return invalid(`envelope invalid: ${z.prettifyError(parsed.error)}`);
    const envelope = parsed.data as Envelope;
    const contract = contractFor(envelope.subject);
    if (!contract || envelope.subject !== contractSubject) {
      return invalid(`no contract for subject ${envelope.subject} (delivered on ${contractSubject})`);
    }
    if (envelope.version !== contract.version) {
      return invalid(
        `${envelope.subject} version ${envelope.version} is not the supported version ${contract.version}`,
      );
    }
    const data = contract.data.safeParse(envelope.data);
    if (!data.success) return invalid(`${envelope.subject} data invalid: ${z.prettifyError(data.error)}`);

    const handler = this.spec.handlers.get(contractSubject);
    if (!handler) {
      if (this.ignored.has(contractSubject)) return { outcome: { kind: 'ack' }, contractSubject };
      return invalid(`no handler for subject ${contractSubject}`);
    }
    const deliveryCount = msg.info.deliveryCount;
    if (deliveryCount > this.maxDeliver) {
      return invalid(
        `delivered ${deliveryCount} times without an outcome (handler crashed or exceeded ack wait)`,
      );
    }
    const logger = this.logger.child({ ...envelopeLogContext(envelope), deliveryCount });
    const outcome =
      (await handler(
        { ...envelope, data: data.data },
        {
          deliveryCount,
          streamSeq: msg.seq,
          traceparent: msg.headers?.get(HEADER.traceparent) || null,
          logger,
          working: () => msg.working(),
        },
      )) ?? ({ kind: 'ack' } as const);
    return { outcome, contractSubject };
  }

  private async settle(msg: JsMsg, { outcome, contractSubject }: Verdict): Promise<void> {
    const deliveryCount = msg.info.deliveryCount;
    this.metrics.outcomes?.inc({ consumer: this.spec.durable, outcome: outcome.kind });
    if (outcome.kind === 'ack') {
      msg.ack();
      return;
    }
    if (outcome.kind === 'retry' && deliveryCount < this.maxDeliver) {
      const backoff = this.spec.backoffMs ?? [1000, 5000, 15000, 60000];
      const delay = outcome.delayMs ?? backoff[Math.min(deliveryCount - 1, backoff.length - 1)]!;
      this.logger.warn(
        { subject: contractSubject, deliveryCount, delayMs: delay, reason: outcome.reason },
        'message will be retried',
      );
      msg.nak(delay);
      return;
    }
    const reason =
      outcome.kind === 'retry'
        ? `gave up after ${deliveryCount} deliveries: ${outcome.reason}`
        : outcome.reason;
    try {
      await this.deadLetter(msg, contractSubject, reason);
      msg.term(reason.slice(0, 200));
    } catch (err) {
      // The dead-letter stream did not take it: keep the message where it is and try later.
      this.logger.error(
        { err, subject: contractSubject },
        'dead-lettering failed; message kept for redelivery',
      );
      msg.nak(5000);
    }
  }

  private async deadLetter(msg: JsMsg, contractSubject: string, reason: string): Promise<void> {
    const h = natsHeaders();
    // Original headers travel along; its Nats-Msg-Id is renamed so the DLQ de-duplicates on its own id.
    for (const key of msg.headers?.keys() ?? []) {
      const target = key === 'Nats-Msg-Id' ? 'Hzn-Dlq-Original-Msg-Id' : key;
      for (const v of msg.headers!.values(key)) h.append(target, v);
    }
    // Header values are single-line; zod's pretty errors are not.
    h.set(HEADER.dlqReason, reason.replace(/\s*[\r\n]+\s*/g, '; ').slice(0, 4000));
    h.set(HEADER.dlqSubject, contractSubject);
    h.set(HEADER.dlqStream, msg.info.stream);
    h.set(HEADER.dlqSeq, String(msg.seq));
    h.set(HEADER.dlqConsumer, this.spec.durable);
    h.set(HEADER.dlqDeliveries, String(msg.info.deliveryCount));
    const tail = contractSubject.replace(/^hzn\./, '').replace(/[^A-Za-z0-9_.-]/g, '_') || 'unknown';
    const naming = this.connection.naming;
    await this.publisher.publishRaw(
      naming.subject(`hzn.dlq.${tail}`),
      msg.data,
      h,
      `dlq:${msg.info.stream}:${msg.seq}`,
    );
    this.logger.error({ subject: contractSubject, reason, streamSeq: msg.seq }, 'message dead-lettered');
  }
}
