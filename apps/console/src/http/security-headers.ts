import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Headers every console response carries: the app runs only its own scripts, is never framed
 * (clickjacking), and the browser does not guess content types. Inline styles stay allowed:
 * React Flow positions nodes with style attributes.
 */
const HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
};

export async function securityHeaders(_request: FastifyRequest, reply: FastifyReply, payload: unknown) {
  for (const [name, value] of Object.entries(HEADERS)) if (!reply.hasHeader(name)) reply.header(name, value);
  return payload;
}
