import type { Webhooks } from '@octokit/webhooks' with { 'resolution-mode': 'import' };
import { WebhookVerifier, webhookHeader } from '@horizon/contracts';

export const GITHUB_SIGNATURE_HEADER = 'x-hub-signature-256';

/**
 * Secrets come as one comma-separated value (`GITHUB_WEBHOOK_SECRET`) so a rotation can list
 * the new secret beside the old one for as long as GitHub may still sign with either.
 */
export function parseGithubWebhookSecrets(value: string): string[] {
  const secrets = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (secrets.length === 0) throw new Error('GITHUB_WEBHOOK_SECRET holds no secret');
  return secrets;
}

/** Checks `X-Hub-Signature-256` with `@octokit/webhooks`; a match with any listed secret passes. */
export function githubWebhookVerifier(secrets: readonly string[]): WebhookVerifier {
  if (secrets.length === 0) throw new Error('githubWebhookVerifier needs at least one secret');
  let clients: Promise<Webhooks[]> | undefined;
  // @octokit/webhooks is an ES module: loaded on first use, because this workspace compiles to CommonJS.
  const load = () =>
    (clients ??= import('@octokit/webhooks').then(({ Webhooks: W }) =>
      secrets.map((secret) => new W({ secret })),
    ));

  return {
    async verify(rawBody, headers) {
      const signature = webhookHeader(headers, GITHUB_SIGNATURE_HEADER);
      if (!signature) return { ok: false, reason: 'missing X-Hub-Signature-256 header' };
      if (!/^sha256=[0-9a-f]{64}$/.test(signature))
        return { ok: false, reason: 'malformed X-Hub-Signature-256 header' };
      if (rawBody.length === 0) return { ok: false, reason: 'empty body' };
      const payload = rawBody.toString('utf8');
      for (const client of await load()) {
        if (await client.verify(payload, signature)) return { ok: true };
      }
      return {
        ok: false,
        reason: `X-Hub-Signature-256 matches none of the ${secrets.length} configured secret(s)`,
      };
    },
  };
}
