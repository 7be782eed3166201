import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { webhookHeader } from '@horizon/contracts';
import type { TriggerFormat, WebhookHeaders, WebhookVerifier } from '@horizon/contracts';

/**
 * How a trigger's deliveries are signed. `horizon`: `X-Horizon-Signature: t=<unix seconds>,v1=<hex>`
 * where v1 is HMAC-SHA256 over `<t>.<raw body>` with the trigger's secret (several v1 may be
 * given). `sentry`: Sentry's integration-platform webhooks, `Sentry-Hook-Signature: <hex>`, the
 * HMAC-SHA256 of the raw body with the integration's client secret, and `Sentry-Hook-Timestamp`.
 */
export const SIGNATURE_HEADER: Record<TriggerFormat, string> = {
  horizon: 'x-horizon-signature',
  sentry: 'sentry-hook-signature',
};
const SENTRY_TIMESTAMP_HEADER = 'sentry-hook-timestamp';
const HEX_DIGEST = /^[0-9a-f]{64}$/i;

const hmacHex = (secret: string, ...parts: Buffer[]) => {
  const mac = createHmac('sha256', secret);
  for (const part of parts) mac.update(part);
  return mac.digest('hex');
};

/** The header value a sender puts on a `horizon` delivery (documented; tests and clients use it). */
export function horizonSignature(secret: string, rawBody: Buffer, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${hmacHex(secret, Buffer.from(`${unixSeconds}.`), rawBody)}`;
}

/** Sentry-Hook-Signature as Sentry computes it. */
export function sentrySignature(secret: string, rawBody: Buffer): string {
  return hmacHex(secret, rawBody);
}

/** Equal hex digests, compared in constant time; anything not a SHA-256 hex digest is unequal. */
function sameDigest(expected: string, given: string): boolean {
  if (!HEX_DIGEST.test(given)) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given, 'hex'));
}

/** The `t` and `v1` values of an X-Horizon-Signature header, or why it cannot be read. */
export function parseHorizonSignature(header: string): { t: number; v1: string[] } | string {
  let t: number | undefined;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const [key, value = ''] = part.trim().split('=', 2) as [string, string?];
    if (key === 't' && /^\d{1,12}$/.test(value)) t = Number(value);
    else if (key === 'v1') v1.push(value);
  }
  if (t === undefined || v1.length === 0)
    return 'X-Horizon-Signature must read t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">';
  return { t, v1 };
}

function outsideWindow(unixSeconds: number, now: Date, toleranceSeconds: number): string | null {
  const skew = Math.round(now.getTime() / 1000 - unixSeconds);
  if (Math.abs(skew) <= toleranceSeconds) return null;
  return `timestamp ${unixSeconds} is ${Math.abs(skew)} s ${skew > 0 ? 'old' : 'in the future'}, outside the ${toleranceSeconds} s window (resend with a fresh timestamp)`;
}

/** Checks one trigger's deliveries; each refusal names the check that failed. */
export function triggerVerifier(
  format: TriggerFormat,
  secret: string,
  toleranceSeconds: number,
  now: () => Date = () => new Date(),
): WebhookVerifier {
  const header = SIGNATURE_HEADER[format];
  return {
    async verify(rawBody: Buffer, headers: WebhookHeaders) {
      const value = webhookHeader(headers, header);
      if (!value) return { ok: false, reason: `missing header ${header}` };
      if (format === 'sentry') {
        const stamp = webhookHeader(headers, SENTRY_TIMESTAMP_HEADER);
        if (!stamp || !/^\d{1,12}$/.test(stamp))
          return { ok: false, reason: `missing or malformed header ${SENTRY_TIMESTAMP_HEADER}` };
        const stale = outsideWindow(Number(stamp), now(), toleranceSeconds);
        if (stale) return { ok: false, reason: stale };
        return sameDigest(sentrySignature(secret, rawBody), value)
          ? { ok: true }
          : { ok: false, reason: `${header} does not match the body signed with the trigger's secret` };
      }
      const parsed = parseHorizonSignature(value);
      if (typeof parsed === 'string') return { ok: false, reason: parsed };
      const stale = outsideWindow(parsed.t, now(), toleranceSeconds);
      if (stale) return { ok: false, reason: stale };
      const expected = hmacHex(secret, Buffer.from(`${parsed.t}.`), rawBody);
      return parsed.v1.some((given) => sameDigest(expected, given))
        ? { ok: true }
        : { ok: false, reason: `${header} does not match "<t>.<body>" signed with the trigger's secret` };
    },
  };
}

/**
 * The sender's delivery id: Sentry's Request-ID; for `horizon`, X-Horizon-Delivery, else one
 * derived from the signature header, so the same signed request sent again is the same delivery.
 */
export function triggerDeliveryId(format: TriggerFormat, headers: WebhookHeaders): string | undefined {
  if (format === 'sentry') return webhookHeader(headers, 'request-id');
  const given = webhookHeader(headers, 'x-horizon-delivery');
  if (given) return given;
  const signature = webhookHeader(headers, SIGNATURE_HEADER.horizon);
  return signature ? `sig-${createHash('sha256').update(signature).digest('hex').slice(0, 32)}` : undefined;
}
