import { createHash, randomBytes } from 'node:crypto';
import type { DataOf, ReplyOf, SignInMethod } from '@horizon/contracts';
import type { identityCompleteSignIn, identitySignInMethods, identityStartSignIn } from '@horizon/contracts';
import { RpcError } from '@horizon/messaging';
import type { Logger } from '@horizon/observability';
import type { IdentityRepository } from '../persistence/identity.repository';
import type { RefusedAttempt, SignInAttemptRepository } from '../persistence/sign-in-attempts.repository';
import type { SignInProvider } from '../oauth/sign-in-providers';

const ATTEMPT_TTL_MS = 10 * 60 * 1000;

const REFUSED: Record<RefusedAttempt, string> = {
  unknown: 'this sign-in was not started here (unknown state)',
  used: 'this sign-in was already completed once (a state works once)',
  expired: 'this sign-in took longer than 10 minutes and expired',
  other_browser: 'this sign-in was started in another browser (or this browser started a newer one since)',
};

/**
 * Console sign-in through a provider (GitHub, or an OpenID Provider): the broker holds the
 * state, PKCE verifier and nonce, binds them to the browser, exchanges the code and answers
 * the Horizon identity the account is linked to, linking it on first sign-in. The console
 * decides what that identity may do; the provider's tokens are not kept.
 */
export class ConsoleSignIn {
  constructor(
    private readonly providers: Partial<Record<SignInMethod, SignInProvider>>,
    private readonly attempts: SignInAttemptRepository,
    private readonly identities: IdentityRepository,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  methods(_: DataOf<typeof identitySignInMethods>): Promise<ReplyOf<typeof identitySignInMethods>> {
    const methods = (Object.keys(this.providers) as SignInMethod[]).map((method) => ({
      method,
      label: this.providers[method]!.label,
    }));
    return Promise.resolve({ methods });
  }

  async start({
    method,
    redirectUrl,
  }: DataOf<typeof identityStartSignIn>): Promise<ReplyOf<typeof identityStartSignIn>> {
    const provider = this.provider(method);
    const request = { state: secret(), nonce: secret(), codeVerifier: secret(), redirectUrl };
    const browserBinding = secret();
    const now = this.now();
    const expiresAt = new Date(now.getTime() + ATTEMPT_TTL_MS);
    const authorizeUrl = await provider.authorizeUrl(request);
    await this.attempts.create(
      {
        stateHash: sha256(request.state),
        method,
        bindingHash: sha256(browserBinding),
        codeVerifier: request.codeVerifier,
        nonce: request.nonce,
        redirectUrl,
        expiresAt,
      },
      now,
    );
    return { authorizeUrl, browserBinding, expiresAt: expiresAt.toISOString() };
  }

  async complete(d: DataOf<typeof identityCompleteSignIn>): Promise<ReplyOf<typeof identityCompleteSignIn>> {
    const provider = this.provider(d.method);
    const attempt = await this.attempts.spend(sha256(d.state), sha256(d.browserBinding), this.now());
    if (typeof attempt === 'string') throw new RpcError('invalid_state', REFUSED[attempt]);
    if (attempt.method !== d.method)
      throw new RpcError('invalid_state', `this sign-in was started for ${attempt.method}, not ${d.method}`);
    const account = await provider.exchange({
      state: d.state,
      nonce: attempt.nonce,
      codeVerifier: attempt.codeVerifier,
      redirectUrl: attempt.redirectUrl,
      code: d.code,
      ...(d.issuer ? { issuer: d.issuer } : {}),
    });
    const identity = await this.identities.link(
      { displayName: account.displayName },
      { provider: d.method, externalId: account.externalId, login: account.login },
    );
    this.logger.info({ identityId: identity.id, method: d.method }, 'console sign-in through a provider');
    return {
      identity,
      account: { externalId: account.externalId, login: account.login, email: account.email },
    };
  }

  private provider(method: SignInMethod): SignInProvider {
    const provider = this.providers[method];
    if (!provider)
      throw new RpcError(
        'not_configured',
        method === 'oidc'
          ? 'OIDC sign-in is not configured: set OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET on identity-broker'
          : 'GitHub sign-in is not configured: set the GitHub App and its GITHUB_APP_CLIENT_ID / GITHUB_APP_CLIENT_SECRET on identity-broker',
      );
    return provider;
  }
}

function secret(): string {
  return randomBytes(32).toString('base64url');
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
