import { createVerify, KeyObject } from 'node:crypto';

/**
 * GitHub's checks on a GitHub App's JWT: RS256 signed with the app's private key (verified
 * with its public key), `iss` the app id or client id, `iat` not in the future (60 s of
 * clock drift allowed), `exp` in the future and at most ten minutes after `iat`.
 * Messages are GitHub's.
 */
export function verifyAppJwt(
  jwt: string,
  app: { id: number; clientId: string; publicKey: KeyObject },
  nowSeconds = Math.floor(Date.now() / 1000),
): { ok: true } | { ok: false; message: string } {
  const parts = jwt.split('.');
  const undecodable = { ok: false as const, message: 'A JSON web token could not be decoded' };
  if (parts.length !== 3) return undecodable;
  let header: { alg?: string };
  let claims: { iss?: unknown; iat?: unknown; exp?: unknown };
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    return undecodable;
  }
  if (header.alg !== 'RS256') return undecodable;
  const signatureOk = createVerify('RSA-SHA256')
    .update(`${parts[0]}.${parts[1]}`)
    .verify(app.publicKey, Buffer.from(parts[2]!, 'base64url'));
  if (!signatureOk) return undecodable;
  if (String(claims.iss) !== String(app.id) && claims.iss !== app.clientId)
    return { ok: false, message: 'Integration not found' };
  if (!Number.isInteger(claims.iat) || (claims.iat as number) > nowSeconds + 60) {
    return {
      ok: false,
      message:
        "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.",
    };
  }
  if (!Number.isInteger(claims.exp) || (claims.exp as number) <= nowSeconds) {
    return {
      ok: false,
      message:
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.",
    };
  }
  if ((claims.exp as number) - (claims.iat as number) > 600) {
    return { ok: false, message: "'Expiration time' claim ('exp') is too far in the future" };
  }
  return { ok: true };
}
