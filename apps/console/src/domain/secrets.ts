import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A bearer secret for a link or a session cookie: 256 random bits, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What the console stores of a secret: a leaked table row cannot sign anyone in. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Compares a presented token with the expected one in constant time. */
export function sameSecret(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
