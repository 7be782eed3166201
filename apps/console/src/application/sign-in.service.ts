import type { ConsoleRole, SignInMethod } from '@horizon/contracts';
import type { Grant } from '../domain/access';
import { hashSecret, newSecret } from '../domain/secrets';
import type { AuditRepository } from '../persistence/audit.repository';
import type { PeopleRepository } from '../persistence/people.repository';

/** How someone signed in: a one-time link, or a provider through identity-broker. */
export type SignInMethodUsed = 'link' | SignInMethod;

/** A signed-in person, as every request handler sees them. */
export interface Viewer {
  readonly personId: string;
  readonly name: string;
  readonly grants: readonly Grant[];
  readonly csrfToken: string;
  /** The hash of the session cookie: what signing out revokes. */
  readonly sessionHash: string;
}

/** A link that was not honoured, and why: the page tells the person to ask for a new one. */
export class SignInRefused extends Error {
  constructor(readonly reason: 'unknown' | 'used' | 'expired') {
    super(
      reason === 'used'
        ? 'this sign-in link was already used'
        : reason === 'expired'
          ? 'this sign-in link has expired'
          : 'this sign-in link is not one the console issued',
    );
  }
}

/**
 * Signing in and out: one-time links (made over RPC by `horizon console link` and `npm start`)
 * are spent for a session whose token only the browser's httpOnly cookie holds.
 */
export class SignInService {
  constructor(
    private readonly people: PeopleRepository,
    private readonly audit: AuditRepository,
    private readonly options: { publicUrl: string; sessionTtlMs: number },
    private readonly now: () => Date = () => new Date(),
  ) {}

  async createLink(request: {
    person: string;
    role: ConsoleRole;
    repo: string;
    ttlMinutes: number;
  }): Promise<{ url: string; expiresAt: string; personId: string }> {
    const person = await this.people.grant(request.person, request.repo, request.role);
    const token = newSecret();
    const expiresAt = new Date(this.now().getTime() + request.ttlMinutes * 60_000);
    await this.people.addLink(person.id, hashSecret(token), expiresAt);
    await this.audit.record({
      personId: null,
      actor: 'rpc',
      action: 'sign_in_link.created',
      target: person.name,
      detail: { role: request.role, repo: request.repo, expiresAt: expiresAt.toISOString() },
    });
    return {
      url: `${this.options.publicUrl}/auth/sign-in?token=${token}`,
      expiresAt: expiresAt.toISOString(),
      personId: person.id,
    };
  }

  /** Spends a link and opens a session: the cookie value and when it expires. */
  async redeem(token: string): Promise<{ sessionToken: string; expiresAt: Date }> {
    const tokenHash = hashSecret(token);
    const now = this.now();
    const person = await this.people.spendLink(tokenHash, now);
    if (!person) throw new SignInRefused(await this.people.linkState(tokenHash));
    return this.openSession(person, 'link');
  }

  /** A session for someone who proved who they are (`method`: how), audited as `auth.signed_in`. */
  async openSession(
    person: { id: string; name: string },
    method: SignInMethodUsed,
  ): Promise<{ sessionToken: string; expiresAt: Date }> {
    const sessionToken = newSecret();
    const expiresAt = new Date(this.now().getTime() + this.options.sessionTtlMs);
    await this.people.openSession({
      tokenHash: hashSecret(sessionToken),
      personId: person.id,
      csrfToken: newSecret(),
      expiresAt,
    });
    await this.audit.record({
      personId: person.id,
      actor: person.name,
      action: 'auth.signed_in',
      detail: { method },
    });
    return { sessionToken, expiresAt };
  }

  /** The person a session cookie belongs to, or null when it is unknown, expired or revoked. */
  async viewer(sessionToken: string | undefined): Promise<Viewer | null> {
    if (!sessionToken) return null;
    const sessionHash = hashSecret(sessionToken);
    const session = await this.people.session(sessionHash, this.now());
    if (!session) return null;
    return {
      personId: session.personId,
      name: session.person.name,
      grants: session.person.grants,
      csrfToken: session.csrfToken,
      sessionHash,
    };
  }

  async signOut(viewer: Viewer): Promise<void> {
    await this.people.revokeSession(viewer.sessionHash, this.now());
    await this.audit.record({ personId: viewer.personId, actor: viewer.name, action: 'session.signed_out' });
  }
}
