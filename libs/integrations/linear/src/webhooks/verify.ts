import type { LinearWebhookClient } from '@linear/sdk/webhooks' with { 'resolution-mode': 'import' };
import { WebhookVerifier, webhookHeader } from '@horizon/contracts';

export const LINEAR_SIGNATURE_HEADER = 'linear-signature';
/** Linear's own replay window, enforced by `LinearWebhookClient.verify`. */
export const LINEAR_TIMESTAMP_TOLERANCE_MS = 60_000;

/**
 * Checks `Linear-Signature` (HMAC-SHA256 hex of the raw body) and the signed body's
 * `webhookTimestamp` with `@linear/sdk`'s `LinearWebhookClient`, whose thrown errors are
 * mapped here to reasons a log reader can act on (bad signature vs stale delivery).
 */
export function linearWebhookVerifier(secret: string): WebhookVerifier {
  if (!secret) throw new Error('LINEAR_WEBHOOK_SECRET is empty');
  let client: Promise<LinearWebhookClient> | undefined;
  // @linear/sdk is an ES module: loaded on first use, because this workspace compiles to CommonJS.
  const load = () =>
    (client ??= import('@linear/sdk/webhooks').then((sdk) => new sdk.LinearWebhookClient(secret)));

  return {
    async verify(rawBody, headers) {
      const signature = webhookHeader(headers, LINEAR_SIGNATURE_HEADER);
      if (!signature) return { ok: false, reason: 'missing Linear-Signature header' };
      const sdk = await load();
      try {
        sdk.verify(rawBody, signature);
        return { ok: true };
      } catch (error) {
        return { ok: false, reason: refusalReason(error, rawBody) };
      }
    },
  };
}

function refusalReason(error: unknown, rawBody: Buffer): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message === 'Invalid webhook signature') return 'Linear-Signature does not match the body';
  if (message === 'Missing webhook timestamp') return 'signed body has no webhookTimestamp';
  if (error instanceof SyntaxError) return 'signed body is not JSON';
  if (message === 'Invalid webhook timestamp') {
    // The signature already matched, so the body is Linear's own: read why its timestamp failed.
    const { webhookTimestamp } = JSON.parse(rawBody.toString('utf8')) as { webhookTimestamp: unknown };
    if (typeof webhookTimestamp !== 'number' || !Number.isFinite(webhookTimestamp))
      return 'webhookTimestamp is not a number';
    const skewSeconds = Math.round((Date.now() - webhookTimestamp) / 1000);
    return `stale delivery: webhookTimestamp is ${Math.abs(skewSeconds)} s ${skewSeconds >= 0 ? 'old' : 'in the future'} (limit ${LINEAR_TIMESTAMP_TOLERANCE_MS / 1000} s)`;
  }
  return `verification failed: ${message}`;
}
