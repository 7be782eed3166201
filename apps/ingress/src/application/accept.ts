import { randomUUID } from 'node:crypto';
import {
  AcceptedDelivery,
  Envelope,
  NormalizedWebhook,
  WebhookHeaders,
  createEnvelope,
  findNulCharacter,
  replaceNulCharacters,
  webhookHeader,
} from '@horizon/contracts';
import type { Logger } from '@horizon/observability';
import type { WebhookSource } from './webhook-source';

/** What happened to one delivery, as recorded in InboxDelivery and counted in metrics. */
export type DeliveryOutcome = 'accepted' | 'duplicate' | 'ignored' | 'refused' | 'unavailable' | 'failed';

export interface DeliveryRecord {
  source: string;
  deliveryId: string;
  event: string;
  outcome: DeliveryOutcome;
  detail: string | null;
  envelope: Envelope | null;
  receivedAt: Date;
}

/** Makes an envelope durable on HZN_INGRESS; resolves only on JetStream's ack, throws otherwise. */
export interface EnvelopePublisher {
  publish(envelope: Envelope): Promise<{ duplicate: boolean }>;
}

/** Keeps the record of each delivery. Must not block nor throw: the stream is the source of truth. */
export interface DeliveryLog {
  record(record: DeliveryRecord): void;
}

export interface DeliveryMetrics {
  delivery(source: string, outcome: DeliveryOutcome, seconds: number): void;
  unhandled(source: string, event: string): void;
}

export interface WebhookRequest {
  headers: WebhookHeaders;
  rawBody: Buffer;
  receivedAt: Date;
}

export interface WebhookResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * The answer to an interaction its sender waits on (Slack's modals, `WebhookSource.interact`):
 * what to publish, if anything, and what to answer.
 */
export interface InteractionAnswer {
  deliveryId: string;
  event: string;
  /** The answer's body; '' is an empty 200 (which closes a Slack modal). */
  reply: unknown;
  /** Published before answering: while JetStream does not take it, the answer is a 503. */
  publish?: AcceptedDelivery;
  /** What became of it when nothing is published, for the delivery record. */
  detail?: string;
}

export interface AcceptorOptions {
  publisher: EnvelopePublisher;
  log: DeliveryLog;
  metrics: DeliveryMetrics;
  logger: Logger;
  retryAfterSeconds: number;
}

/** Deliveries that cannot be identified are recorded under a fresh id, so each refusal keeps its own row. */
const unidentified = () => `unidentified-${randomUUID()}`;

function mediaType(headers: WebhookHeaders): string {
  return (webhookHeader(headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * The accept path of one webhook source: content type, required headers, JSON, signature,
 * normalization, then publish — and a 2xx only once JetStream has acknowledged the envelope.
 * Refusals answer with a generic reason; the specific one goes to the log and the record.
 */
export class WebhookAcceptor {
  constructor(
    private readonly source: WebhookSource,
    private readonly options: AcceptorOptions,
  ) {}

  async accept(request: WebhookRequest): Promise<WebhookResponse> {
    const started = process.hrtime.bigint();
    const { response, record } = await this.decide(request);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.options.metrics.delivery(this.source.name, record.outcome, seconds);
    this.options.log.record(record);
    return response;
  }

  private async decide({
    headers,
    rawBody,
    receivedAt,
  }: WebhookRequest): Promise<{ response: WebhookResponse; record: DeliveryRecord }> {
    const { source } = this;
    const claimedHeaders = source.claimed(headers, undefined);
    const refuse = (status: number, error: string, detail: string, body?: unknown) => {
      const claimed = body === undefined ? claimedHeaders : source.claimed(headers, body);
      this.options.logger.warn(
        { source: source.name, path: source.path, status, reason: detail, deliveryId: claimed.deliveryId },
        `webhook refused: ${detail}`,
      );
      return {
        response: { status, body: source.explainsRefusals ? { error, reason: detail } : { error } },
        record: this.record(
          claimed.deliveryId ?? unidentified(),
          claimed.event ?? 'unknown',
          'refused',
          detail,
          null,
          receivedAt,
        ),
      };
    };

    if (source.unavailableReason) {
      const refused = refuse(503, 'source unavailable', source.unavailableReason);
      return { ...refused, response: { ...refused.response, headers: { 'retry-after': '60' } } };
    }
    if (!source.verifier)
      return refuse(
        404,
        'source not configured',
        source.absentReason ?? `${source.name} has no secret configured`,
      );
    const type = mediaType(headers);
    if (!source.mediaTypes.includes(type)) {
      return refuse(
        415,
        `content type must be ${source.mediaTypes.join(' or ')}`,
        `content type "${type}" is not accepted`,
      );
    }
    const missing = source.requiredHeaders.filter((name) => !webhookHeader(headers, name));
    if (missing.length > 0)
      return refuse(400, `missing header ${missing.join(', ')}`, `missing header ${missing.join(', ')}`);

    let body: unknown;
    try {
      body = source.parse(rawBody, headers);
    } catch (error) {
      return refuse(400, 'malformed body', `malformed body: ${(error as Error).message}`);
    }
    const verification = await source.verifier.verify(rawBody, headers);
    if (!verification.ok) return refuse(401, 'unauthorized', verification.reason, body);
    body = this.storable(body, headers);

    let normalized: NormalizedWebhook | { kind: 'interaction'; answer: InteractionAnswer };
    try {
      const answer = await source.interact?.(body, receivedAt);
      normalized = answer ? { kind: 'interaction', answer } : source.normalize(headers, body, receivedAt);
    } catch (error) {
      const claimed = source.claimed(headers, body);
      const detail = (error as Error).message;
      this.options.logger.error(
        { source: source.name, deliveryId: claimed.deliveryId, err: error },
        'verified delivery could not be normalized',
      );
      const answer = { error: 'delivery could not be normalized' };
      return {
        response: { status: 422, body: source.explainsRefusals ? { ...answer, reason: detail } : answer },
        record: this.record(
          claimed.deliveryId ?? unidentified(),
          claimed.event ?? 'unknown',
          'failed',
          detail,
          null,
          receivedAt,
        ),
      };
    }

    if (normalized.kind === 'interaction') return this.answerInteraction(normalized.answer, receivedAt);
    if (normalized.kind === 'challenge') {
      return {
        response: { status: 200, body: { challenge: normalized.challenge } },
        record: this.record(
          unidentified(),
          'url_verification',
          'ignored',
          'url_verification answered',
          null,
          receivedAt,
        ),
      };
    }
    if (normalized.kind === 'ignored') {
      this.options.metrics.unhandled(source.name, normalized.event);
      const claimed = source.claimed(headers, body);
      return {
        response: { status: this.okStatus(), body: { status: 'ignored', reason: normalized.reason } },
        record: this.record(
          claimed.deliveryId ?? unidentified(),
          normalized.event,
          'ignored',
          normalized.reason,
          null,
          receivedAt,
        ),
      };
    }

    return this.publish(normalized, receivedAt);
  }

  /** An interaction answered now: published first when it carries an event, else only recorded. */
  private async answerInteraction(
    answer: InteractionAnswer,
    receivedAt: Date,
  ): Promise<{ response: WebhookResponse; record: DeliveryRecord }> {
    if (answer.publish) return this.publish(answer.publish, receivedAt, answer.reply);
    return {
      response: { status: this.okStatus(), body: answer.reply },
      record: this.record(
        answer.deliveryId,
        answer.event,
        'ignored',
        answer.detail ?? null,
        null,
        receivedAt,
      ),
    };
  }

  /**
   * Makes the delivery durable on HZN_INGRESS and answers it (with `reply` when the sender
   * expects a body of its own); a 503 with Retry-After while JetStream does not take it.
   */
  private async publish(
    normalized: AcceptedDelivery,
    receivedAt: Date,
    reply?: unknown,
  ): Promise<{ response: WebhookResponse; record: DeliveryRecord }> {
    const { source } = this;
    // `acceptDelivery` has already checked the data against the contract: no second parse on the hot path.
    const { contract } = normalized;
    const envelope = createEnvelope({
      type: contract.type,
      version: contract.version,
      subject: contract.subject,
      source: 'ingress',
      id: `${source.name}:${normalized.deliveryId}`,
      occurredAt: receivedAt,
      data: normalized.data,
    });
    const event = (normalized.data as { delivery: { event: string } }).delivery.event;
    try {
      const { duplicate } = await this.options.publisher.publish(envelope);
      const outcome = duplicate ? 'duplicate' : 'accepted';
      return {
        response: { status: this.okStatus(), body: reply ?? { status: outcome, id: envelope.id } },
        record: this.record(normalized.deliveryId, event, outcome, null, envelope, receivedAt),
      };
    } catch (error) {
      const detail = `JetStream unavailable: ${(error as Error).message}`;
      this.options.logger.error(
        { source: source.name, envelopeId: envelope.id, err: error },
        'delivery not accepted: JetStream unavailable',
      );
      return {
        response: {
          status: 503,
          body: { error: 'temporarily unavailable, retry later' },
          headers: { 'retry-after': String(this.options.retryAfterSeconds) },
        },
        record: this.record(normalized.deliveryId, event, 'unavailable', detail, envelope, receivedAt),
      };
    }
  }

  /**
   * A signed delivery holding NUL characters is taken with them replaced: refusing it would
   * only make the provider redeliver it, and no consumer could store it as sent.
   */
  private storable(body: unknown, headers: WebhookHeaders): unknown {
    const clean = replaceNulCharacters(body);
    if (clean !== body) {
      const claimed = this.source.claimed(headers, clean);
      this.options.logger.warn(
        { source: this.source.name, deliveryId: claimed.deliveryId, path: findNulCharacter(body) },
        'delivery holds NUL characters: replaced with U+FFFD (Postgres stores none)',
      );
    }
    return clean;
  }

  /** Slack wants a 200; the others get 202: received, to be processed. */
  private okStatus(): number {
    return this.source.name === 'slack' ? 200 : 202;
  }

  private record(
    deliveryId: string,
    event: string,
    outcome: DeliveryOutcome,
    detail: string | null,
    envelope: Envelope | null,
    receivedAt: Date,
  ): DeliveryRecord {
    return { source: this.source.name, deliveryId, event, outcome, detail, envelope, receivedAt };
  }
}
