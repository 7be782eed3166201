import { RunTokenRejected } from '@horizon/run-tokens';
import type { McpScope, RunTokenClaims } from '@horizon/run-tokens';

export const RUN_HEADER = 'x-horizon-run';

export type Authorization =
  { ok: true; claims: RunTokenClaims } | { ok: false; refusal: RunTokenRejected; scope?: McpScope };

interface JsonRpcCall {
  method?: unknown;
  params?: { name?: unknown };
}

/**
 * Decides one request before the MCP server sees it: a bearer run token that verifies, for
 * the run the request says it is for (`X-Horizon-Run`, set by the runner next to the token, so
 * a token that leaked into another run's sandbox is refused there), and every `tools/call`
 * in the body covered by the token's scopes.
 */
export async function authorize(
  headers: Record<string, string | string[] | undefined>,
  body: unknown,
  verify: (token: string) => Promise<RunTokenClaims>,
  scopeOfTool: (name: string) => McpScope | undefined,
): Promise<Authorization> {
  const refuse = (refusal: RunTokenRejected): Authorization => ({ ok: false, refusal });
  const authorization = single(headers.authorization);
  if (!authorization)
    return refuse(new RunTokenRejected('missing bearer token: send Authorization: Bearer <run token>'));
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!match)
    return refuse(new RunTokenRejected('Authorization must be a Bearer token', 401, 'invalid_request'));
  let claims: RunTokenClaims;
  try {
    claims = await verify(match[1]!);
  } catch (err) {
    if (err instanceof RunTokenRejected) return refuse(err);
    throw err;
  }
  const run = single(headers[RUN_HEADER]);
  if (!run)
    return refuse(
      new RunTokenRejected(
        'missing X-Horizon-Run header: name the run this request is for',
        401,
        'invalid_request',
      ),
    );
  if (run !== claims.runId)
    return refuse(
      new RunTokenRejected(`token belongs to run ${claims.runId}, not to run ${run}`, 403, 'invalid_token'),
    );
  for (const call of Array.isArray(body) ? body : [body]) {
    const { method, params } = (call ?? {}) as JsonRpcCall;
    if (method !== 'tools/call' || typeof params?.name !== 'string') continue;
    const needed = scopeOfTool(params.name);
    if (needed && !claims.scopes.includes(needed)) {
      const reason = `tool ${params.name} needs scope ${needed}; this token has: ${claims.scopes.join(' ') || 'none'}`;
      return { ok: false, refusal: new RunTokenRejected(reason, 403, 'insufficient_scope'), scope: needed };
    }
  }
  return { ok: true, claims };
}

/** The `WWW-Authenticate` challenge of a refusal (RFC 6750 §3, RFC 9728 §5.1). */
export function challenge(
  refusal: RunTokenRejected,
  resourceMetadataUrl: string,
  neededScope?: string,
): string {
  const params = [`realm="mcp-context"`, `resource_metadata="${resourceMetadataUrl}"`];
  const missingToken = refusal.reason.startsWith('missing bearer token');
  if (!missingToken)
    params.push(
      `error="${refusal.oauthError}"`,
      `error_description="${refusal.reason.replace(/["\\]/g, "'")}"`,
    );
  if (neededScope) params.push(`scope="${neededScope}"`);
  return `Bearer ${params.join(', ')}`;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
