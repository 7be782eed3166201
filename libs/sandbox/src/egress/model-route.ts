import type { IncomingHttpHeaders } from 'node:http';
import type { ModelProvider } from '@horizon/contracts';

/**
 * Every header a model provider reads a key from. Whatever the sandbox sends in them is
 * dropped: the only key that leaves is the one the proxy holds, so a key the agent found or
 * guessed never reaches the provider, and a placeholder the harness needs is never mistaken
 * for one.
 */
const credentialHeaders = ['authorization', 'x-api-key', 'api-key', 'x-goog-api-key'];

/**
 * The headers a model request goes upstream with: the sandbox's own (already stripped of
 * hop-by-hop ones) minus any credential, plus the run's key the way `provider` expects it.
 * Anthropic's `anthropic-version` and `anthropic-beta` pass through: the client chose them.
 * The response is asked for uncompressed, so the proxy can read its usage as it passes.
 */
export function modelRouteHeaders(
  provider: ModelProvider,
  headers: IncomingHttpHeaders,
  apiKey: string,
): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = Object.fromEntries(
    Object.entries(headers).filter(
      ([name]) => !credentialHeaders.includes(name.toLowerCase()) && name.toLowerCase() !== 'accept-encoding',
    ),
  );
  out['accept-encoding'] = 'identity';
  if (provider === 'anthropic') out['x-api-key'] = apiKey;
  else out.authorization = `Bearer ${apiKey}`;
  return out;
}
