import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { OAuthProvider } from '@horizon/contracts';
import { RpcError } from '@horizon/messaging';
import type { Keyring } from '@horizon/keyring';

export interface OAuthStatePayload {
  provider: OAuthProvider;
  identityId?: string;
  /** Also sent as the OIDC nonce, so Slack's id_token is bound to this request. */
  nonce: string;
  expiresAt: number;
  keyId: string;
}

const STATE_TTL_MS = 10 * 60 * 1000;

/**
 * The OAuth `state`, signed with a key derived from the encryption key: any replica can check
 * it, none has to remember it, and nobody can forge one that attaches their account to
 * someone else's identity.
 */
export class OAuthStateSigner {
  constructor(private readonly keyring: Keyring) {}

  issue(
    provider: OAuthProvider,
    identityId: string | undefined,
    now = Date.now(),
  ): { state: string; payload: OAuthStatePayload } {
    const payload: OAuthStatePayload = {
      provider,
      ...(identityId ? { identityId } : {}),
      nonce: randomBytes(16).toString('base64url'),
      expiresAt: now + STATE_TTL_MS,
      keyId: this.keyring.currentKeyId,
    };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return { state: `${body}.${this.sign(body, payload.keyId)}`, payload };
  }

  verify(state: string, provider: OAuthProvider, now = Date.now()): OAuthStatePayload {
    const [body, signature] = state.split('.');
    const invalid = new RpcError(
      'invalid_state',
      'the OAuth state is not one this broker issued, or it has expired',
    );
    if (!body || !signature) throw invalid;
    let payload: OAuthStatePayload;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as OAuthStatePayload;
    } catch {
      throw invalid;
    }
    if (!this.keyring.has(payload.keyId)) throw invalid;
    const expected = Buffer.from(this.sign(body, payload.keyId));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid;
    if (payload.provider !== provider || payload.expiresAt < now) throw invalid;
    return payload;
  }

  private sign(body: string, keyId: string): string {
    return createHmac('sha256', this.keyring.derive('oauth-state', keyId)).update(body).digest('base64url');
  }
}
