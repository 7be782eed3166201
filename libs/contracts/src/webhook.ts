import { z } from 'zod';
import type { Contract, DataOf } from './contract';

// How a webhook source verifies and normalizes a delivery into one ingress contract's data.

/** Request headers as Node and Fastify hand them over (names lower-cased). */
export type WebhookHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** The first value of a header, looked up by its lower-case name. */
export function webhookHeader(headers: WebhookHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** A webhook's authenticity check. The reason is for logs, never for the HTTP response. */
export type WebhookVerification = { ok: true } | { ok: false; reason: string };

/** Checks one source's signature over the raw body, exactly as received. */
export interface WebhookVerifier {
  verify(rawBody: Buffer, headers: WebhookHeaders): Promise<WebhookVerification>;
}

/** A verified delivery turned into one ingress contract's data, or set aside with the reason. */
export type WebhookNormalization = AcceptedDelivery | IgnoredDelivery;
export interface AcceptedDelivery<C extends Contract = Contract> {
  kind: 'accepted';
  contract: C;
  deliveryId: string;
  data: DataOf<C>;
}
export interface IgnoredDelivery {
  kind: 'ignored';
  event: string;
  reason: string;
}

/** A sender's URL handshake (Slack's `url_verification`): answered with the challenge, published nowhere. */
export interface WebhookChallenge {
  kind: 'challenge';
  challenge: string;
}

/** What a webhook source's `normalize` returns: a delivery accepted or ignored, or a handshake to answer. */
export type NormalizedWebhook = WebhookNormalization | WebhookChallenge;

/**
 * Accepts a delivery after checking its data against the contract: a payload that does not fit
 * is a bug in the normalizer or a change on the provider's side, and must fail loudly.
 */
export function acceptDelivery<C extends Contract>(
  contract: C,
  deliveryId: string,
  data: DataOf<C>,
): AcceptedDelivery<C> {
  const parsed = contract.data.safeParse(data);
  if (!parsed.success) {
    throw new Error(
      `delivery ${deliveryId} does not fit ${contract.subject}: ${z.prettifyError(parsed.error)}`,
    );
  }
  return { kind: 'accepted', contract, deliveryId, data: parsed.data as DataOf<C> };
}
