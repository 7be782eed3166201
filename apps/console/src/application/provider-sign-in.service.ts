import {
  identityCompleteSignIn,
  identitySignInMethods,
  identityStartSignIn,
  type SignInMethod,
} from '@horizon/contracts';
import { RpcError, type RpcClient } from '@horizon/messaging';
import type { AuditRepository } from '../persistence/audit.repository';
import type { PeopleRepository } from '../persistence/people.repository';
import type { SignInMethodOption } from '../shared/console-api';
import type { AutoGrants } from './auto-grants';
import type { SignInService } from './sign-in.service';

/** Why a provider sign-in did not open a session, in words for the page the browser lands on. */
export class ProviderSignInRefused extends Error {
  constructor(
    readonly reason: 'not_configured' | 'bad_state' | 'provider_refused' | 'no_grants' | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Signing in with GitHub or the team's OpenID Provider, through identity-broker: the broker
 * runs the OAuth exchange and answers who the person is (their linked Horizon identity); the
 * console maps that identity to a person and opens a session only if an admin granted them a
 * role. A first-time identity becomes a person with no grants, so an admin sees them in
 * People and can grant one, unless an admin's auto-grant rule covers their verified email
 * domain; nobody gets in by merely having an account at the provider.
 */
export class ProviderSignIn {
  constructor(
    private readonly rpc: RpcClient,
    private readonly people: PeopleRepository,
    private readonly audit: AuditRepository,
    private readonly sessions: SignInService,
    private readonly autoGrants: AutoGrants,
    private readonly publicUrl: string,
  ) {}

  /** The buttons the sign-in page shows; none when identity-broker is not reachable. */
  async methods(): Promise<SignInMethodOption[]> {
    try {
      return (await this.rpc.call(identitySignInMethods, {}, { timeoutMs: 2000 })).methods;
    } catch {
      return [];
    }
  }

  callbackUrl(method: SignInMethod): string {
    return `${this.publicUrl}/auth/sign-in/${method}/callback`;
  }

  async start(method: SignInMethod): Promise<{ authorizeUrl: string; browserBinding: string }> {
    try {
      return await this.rpc.call(identityStartSignIn, { method, redirectUrl: this.callbackUrl(method) });
    } catch (err) {
      throw refusal(err);
    }
  }

  async complete(
    method: SignInMethod,
    callback: { code: string; state: string; browserBinding: string; issuer?: string },
  ): Promise<{ sessionToken: string; expiresAt: Date }> {
    let reply;
    try {
      reply = await this.rpc.call(identityCompleteSignIn, { method, ...callback });
    } catch (err) {
      const refused = refusal(err);
      await this.audit.record({
        personId: null,
        actor: 'anonymous',
        action: 'auth.sign_in_refused',
        detail: { method, reason: refused.reason, message: refused.message },
      });
      throw refused;
    }
    const { identity, account } = reply;
    const known = await this.people.byIdentity(identity.id);
    const person =
      known ?? (await this.people.createForIdentity(identity.id, account.login ?? identity.displayName));
    const autoGranted = known ? [] : await this.autoGrants.onFirstSignIn(person, account.email);
    if (autoGranted.length > 0) return this.sessions.openSession(person, method);
    if (!known || known.grants.length === 0) {
      await this.audit.record({
        personId: person.id,
        actor: person.name,
        action: 'auth.sign_in_refused',
        detail: { method, reason: 'no_grants', identityId: identity.id },
      });
      throw new ProviderSignInRefused(
        'no_grants',
        `You are signed in at the provider as ${person.name}, but nobody has granted you a role in Horizon yet. ` +
          `Ask a Horizon admin to grant "${person.name}" a role under People; then sign in again.`,
      );
    }
    return this.sessions.openSession(known, method);
  }
}

/** identity-broker's error codes, as reasons the page can explain. */
function refusal(err: unknown): ProviderSignInRefused {
  if (!(err instanceof RpcError)) throw err;
  const message = err.message.replace(/^hzn\.rpc\.[\w.]+: /, '');
  switch (err.code) {
    case 'not_configured':
      return new ProviderSignInRefused('not_configured', message);
    case 'invalid_state':
    case 'invalid_request':
      return new ProviderSignInRefused('bad_state', message);
    case 'provider_refused':
      return new ProviderSignInRefused('provider_refused', message);
    case 'unavailable':
    case 'provider_unavailable':
      return new ProviderSignInRefused('unavailable', message);
    default:
      // An internal failure's text is for the operator's log, not for an anonymous browser.
      return new ProviderSignInRefused(
        'unavailable',
        `identity-broker failed to finish the sign-in (${err.code}); its log says why.`,
      );
  }
}
