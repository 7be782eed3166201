import type { Envelope } from '@horizon/contracts';
import type { Logger } from '@horizon/observability';

/**
 * What a handler decided about one message. Every message ends in exactly one of these:
 * `ack` (done), `retry` (nak with back-off; dead-lettered once deliveries run out) or
 * `reject` (terminal: dead-lettered now with the reason).
 */
export type HandlerOutcome =
  { kind: 'ack' } | { kind: 'retry'; reason: string; delayMs?: number } | { kind: 'reject'; reason: string };

export const Outcome = {
  ack: (): HandlerOutcome => ({ kind: 'ack' }),
  retry: (reason: string, delayMs?: number): HandlerOutcome => ({ kind: 'retry', reason, delayMs }),
  reject: (reason: string): HandlerOutcome => ({ kind: 'reject', reason }),
};

export interface MessageContext {
  /** 1 on first delivery. */
  deliveryCount: number;
  streamSeq: number;
  traceparent: string | null;
  logger: Logger;
  /** Extends the ack deadline for a handler that legitimately takes long. */
  working(): void;
}

/** A handler returns its outcome; returning nothing means ack, throwing means retry. */
export type MessageHandler<TData = unknown> = (
  envelope: Envelope<TData>,
  ctx: MessageContext,
) => Promise<HandlerOutcome | void> | HandlerOutcome | void;
