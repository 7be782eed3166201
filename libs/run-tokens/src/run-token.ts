import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { isMcpScope, McpScope } from './scopes';

/**
 * The run token: a JWT (RFC 7519) in compact form, HS256 over `header.payload` with the
 * shared secret, so any JWT tool can read it and only holders of the secret can make one.
 * mcp-context is its only audience; the orchestrator is its only issuer.
 */
export const RUN_TOKEN_AUDIENCE = 'mcp-context';
export const RUN_TOKEN_ISSUER = 'horizon-orchestrator';

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

const claimsSchema = z.object({
  iss: z.literal(RUN_TOKEN_ISSUER),
  aud: z.literal(RUN_TOKEN_AUDIENCE),
  /** The run: tokens are per run attempt, never per work item. */
  sub: z.string().uuid(),
  jti: z.string().uuid(),
  iat: z.number().int(),
  exp: z.number().int(),
  /** Space-separated, as OAuth writes scopes. */
  scope: z.string(),
  /** The work item the run belongs to. */
  wid: z.string().uuid().optional(),
  /** The repository the run works on (`owner/name`). */
  repo: z.string().optional(),
  /** The run's workspace on the host, where repo_conventions reads AGENTS.md and .horizon/. */
  ws: z.string().optional(),
});

export interface RunTokenClaims {
  runId: string;
  tokenId: string;
  scopes: McpScope[];
  issuedAt: Date;
  expiresAt: Date;
  workItemId?: string;
  repo?: string;
  workspace?: string;
}

export interface RunTokenRequest {
  runId: string;
  scopes: readonly McpScope[];
  /** The run's deadline: the token is useless after it. */
  expiresAt: Date;
  workItemId?: string;
  repo?: string;
  workspace?: string;
}

/** Why a token was refused; `status` is the HTTP status the refusal is answered with. */
export class RunTokenRejected extends Error {
  constructor(
    readonly reason: string,
    readonly status: 401 | 403 = 401,
    /** The OAuth error code for WWW-Authenticate (RFC 6750 §3.1). */
    readonly oauthError: 'invalid_token' | 'insufficient_scope' | 'invalid_request' = 'invalid_token',
  ) {
    super(reason);
    this.name = 'RunTokenRejected';
  }
}

export function signRunToken(
  secret: Buffer,
  request: RunTokenRequest,
  now = new Date(),
): { token: string; tokenId: string } {
  if (request.expiresAt.getTime() <= now.getTime()) throw new Error('a run token must expire in the future');
  const tokenId = randomUUID();
  const claims: z.infer<typeof claimsSchema> = {
    iss: RUN_TOKEN_ISSUER,
    aud: RUN_TOKEN_AUDIENCE,
    sub: request.runId,
    jti: tokenId,
    iat: Math.floor(now.getTime() / 1000),
    exp: Math.floor(request.expiresAt.getTime() / 1000),
    scope: [...new Set(request.scopes)].join(' '),
    ...(request.workItemId ? { wid: request.workItemId } : {}),
    ...(request.repo ? { repo: request.repo } : {}),
    ...(request.workspace ? { ws: request.workspace } : {}),
  };
  const signingInput = `${HEADER}.${base64url(JSON.stringify(claimsSchema.parse(claims)))}`;
  return { token: `${signingInput}.${sign(secret, signingInput)}`, tokenId };
}

/** Checks form, signature, audience and expiry; revocation is the issuer's business. */
export function readRunToken(secret: Buffer, token: string, now = new Date()): RunTokenClaims {
  const parts = token.split('.');
  if (parts.length !== 3) throw new RunTokenRejected('malformed token: expected a JWT with three parts');
  const [header, payload, signature] = parts as [string, string, string];
  if (header !== HEADER)
    throw new RunTokenRejected('unsupported token header: expected {"alg":"HS256","typ":"JWT"}');
  const expected = Buffer.from(sign(secret, `${header}.${payload}`));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new RunTokenRejected('bad token signature');
  let parsed: z.infer<typeof claimsSchema>;
  try {
    parsed = claimsSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    throw new RunTokenRejected(`token claims are not a run token for audience ${RUN_TOKEN_AUDIENCE}`);
  }
  const expiresAt = new Date(parsed.exp * 1000);
  if (expiresAt.getTime() <= now.getTime())
    throw new RunTokenRejected(`token expired at ${expiresAt.toISOString()}`);
  return {
    runId: parsed.sub,
    tokenId: parsed.jti,
    scopes: parsed.scope.split(' ').filter(isMcpScope),
    issuedAt: new Date(parsed.iat * 1000),
    expiresAt,
    workItemId: parsed.wid,
    repo: parsed.repo,
    workspace: parsed.ws,
  };
}

function sign(secret: Buffer, input: string): string {
  return createHmac('sha256', secret).update(input).digest('base64url');
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
