import { verifySlackRequest } from '@slack/bolt';
import { WebhookHeaders, WebhookVerifier, webhookHeader } from '@horizon/contracts';

/** Slack's replay window: a request timestamp further than this from now is refused. */
export const SLACK_TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

/**
 * Checks the v0 signature (`X-Slack-Signature` over `v0:<timestamp>:<raw body>`) with
 * `@slack/bolt`'s `verifySlackRequest`, for Events API JSON and form-encoded interactions alike.
 * Bolt only refuses timestamps in the past; one from the future is refused here, as Slack's
 * guidance ("more than five minutes from local time") asks.
 */
export function slackWebhookVerifier(signingSecret: string, now: () => number = Date.now): WebhookVerifier {
  if (!signingSecret) throw new Error('SLACK_SIGNING_SECRET is empty');
  return {
    async verify(rawBody, headers) {
      const signature = webhookHeader(headers, 'x-slack-signature');
      const timestampHeader = webhookHeader(headers, 'x-slack-request-timestamp');
      if (!signature) return { ok: false, reason: 'missing X-Slack-Signature header' };
      if (!timestampHeader) return { ok: false, reason: 'missing X-Slack-Request-Timestamp header' };
      if (!/^\d+$/.test(timestampHeader))
        return { ok: false, reason: 'X-Slack-Request-Timestamp is not a Unix time' };
      const timestamp = Number(timestampHeader);
      const skew = timestamp - Math.floor(now() / 1000);
      if (skew > SLACK_TIMESTAMP_TOLERANCE_SECONDS) {
        return {
          ok: false,
          reason: `X-Slack-Request-Timestamp is ${skew} s in the future (limit ${SLACK_TIMESTAMP_TOLERANCE_SECONDS} s)`,
        };
      }
      try {
        verifySlackRequest({
          signingSecret,
          body: rawBody.toString('utf8'),
          headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
          nowMilliseconds: now(),
        });
        return { ok: true };
      } catch (error) {
        return {
          ok: false,
          reason: refusalReason(error instanceof Error ? error.message : String(error), -skew),
        };
      }
    },
  };
}

function refusalReason(message: string, ageSeconds: number): string {
  if (message.endsWith('signature mismatch')) return 'X-Slack-Signature does not match the body';
  if (message.includes('stale'))
    return `stale delivery: X-Slack-Request-Timestamp is ${ageSeconds} s old (limit ${SLACK_TIMESTAMP_TOLERANCE_SECONDS} s)`;
  if (message.endsWith('unknown signature version')) return 'X-Slack-Signature is not a v0 signature';
  return `verification failed: ${message}`;
}

/**
 * Parses a verified Slack body: Events API deliveries are JSON, interactions are
 * `application/x-www-form-urlencoded` with the JSON in `payload`.
 */
export function parseSlackBody(rawBody: Buffer, headers: WebhookHeaders): unknown {
  const text = rawBody.toString('utf8');
  if (!(webhookHeader(headers, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded'))
    return JSON.parse(text);
  const payload = new URLSearchParams(text).get('payload');
  if (payload === null) throw new Error('Slack form body has no payload field');
  return JSON.parse(payload);
}
