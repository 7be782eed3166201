import { timingSafeEqual } from 'node:crypto';

export interface Credentials {
  ok: boolean;
  /** The login the credentials name (a Basic username other than `x-access-token`), if any. */
  user: string | null;
}

/**
 * Accepts `Authorization: Bearer <token>`, `token <token>` (GitHub's style) or Basic with the
 * token as password (git's; the egress proxy sends `x-access-token:<token>`).
 */
export function checkAuthorization(header: string | undefined, token: string): Credentials {
  if (!header) return { ok: false, user: null };
  const [scheme, value = ''] = header.split(' ', 2);
  const lower = scheme!.toLowerCase();
  if (lower === 'bearer' || lower === 'token') return { ok: same(value.trim(), token), user: null };
  if (lower !== 'basic') return { ok: false, user: null };
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { ok: false, user: null };
  const user = decoded.slice(0, colon);
  return { ok: same(decoded.slice(colon + 1), token), user: user && user !== 'x-access-token' ? user : null };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
