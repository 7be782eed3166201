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

/**
 * The upstream URL of a model request. The route stands for the provider's API base, which
 * ends in `/v1` (`/_horizon/model/messages` → `<base>/messages`). Clients that add the `/v1`
 * themselves to a host-level base URL (Claude Code, Anthropic's SDKs given `ANTHROPIC_BASE_URL`)
 * send `/_horizon/model/v1/messages`: that `/v1` is the base's own, not a second one.
 */
export function upstreamModelUrl(baseUrl: string, pathAndQuery: string): URL {
  const base = baseUrl.replace(/\/$/, '');
  const rest =
    base.endsWith('/v1') && /^\/v1(\/|\?|$)/.test(pathAndQuery) ? pathAndQuery.slice(3) : pathAndQuery;
  return new URL(`${base}${rest}`);
}
