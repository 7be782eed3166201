import type { Configuration } from 'openid-client' with { 'resolution-mode': 'import' };
import { RpcError } from '@horizon/messaging';
import type { GitHubOAuthClient } from './providers';

/** What the broker keeps for one sign-in and hands the provider (or checks its answer against). */
export interface SignInRequest {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUrl: string;
}

export interface SignedInAccount {
  externalId: string;
  login: string | null;
  displayName: string;
  /** Only an address the provider says it verified. */
  email: string | null;
}

/** A provider people sign in to the console with: where to send them, and who came back. */
export interface SignInProvider {
  readonly label: string;
  authorizeUrl(request: SignInRequest): Promise<string>;
  /** `issuer`: the `iss` the provider sent back with the code (RFC 9207), when it sends one. */
  exchange(request: SignInRequest & { code: string; issuer?: string }): Promise<SignedInAccount>;
}

export interface OidcSettings {
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  label: string;
}

/**
 * OpenID Connect with `openid-client` (certified relying party): discovery, the authorization
 * code flow with PKCE (S256), and the ID token checked for signature (the issuer's JWKS),
 * issuer, audience, expiry and nonce before anyone is signed in. Discovery happens on first
 * use, so a provider that is down at start does not keep the broker down.
 */
export class OidcSignIn implements SignInProvider {
  private configuration: Promise<Configuration> | undefined;

  constructor(private readonly settings: OidcSettings) {}

  get label(): string {
    return this.settings.label;
  }

  async authorizeUrl(request: SignInRequest): Promise<string> {
    const client = await import('openid-client');
    const config = await this.discover();
    return client
      .buildAuthorizationUrl(config, {
        redirect_uri: request.redirectUrl,
        scope: 'openid profile email',
        state: request.state,
        nonce: request.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(request.codeVerifier),
        code_challenge_method: 'S256',
      })
      .toString();
  }

  async exchange(request: SignInRequest & { code: string; issuer?: string }): Promise<SignedInAccount> {
    const client = await import('openid-client');
    const config = await this.discover();
    const callback = new URL(request.redirectUrl);
    callback.searchParams.set('code', request.code);
    callback.searchParams.set('state', request.state);
    if (request.issuer) callback.searchParams.set('iss', request.issuer);
    let claims: Record<string, unknown> & { sub: string };
    try {
      const tokens = await client.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: request.codeVerifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims()!;
      // Providers may keep profile and email out of the ID token and answer them from the
      // UserInfo endpoint instead (OIDC Core §5.4); its `sub` must be the ID token's.
      const userInfo = config.serverMetadata().userinfo_endpoint
        ? await client.fetchUserInfo(config, tokens.access_token, idToken.sub)
        : {};
      claims = { ...userInfo, ...idToken };
    } catch (err) {
      throw new RpcError('provider_refused', `${this.label} refused the sign-in: ${describe(err)}`);
    }
    const login = stringClaim(claims.preferred_username) ?? stringClaim(claims.email);
    return {
      externalId: claims.sub,
      login,
      displayName: stringClaim(claims.name) ?? login ?? claims.sub,
      email: claims.email_verified === true ? stringClaim(claims.email) : null,
    };
  }

  private discover(): Promise<Configuration> {
    this.configuration ??= (async () => {
      const client = await import('openid-client');
      const issuer = new URL(this.settings.issuerUrl);
      try {
        return await client.discovery(
          issuer,
          this.settings.clientId,
          this.settings.clientSecret,
          undefined,
          // http:// is accepted for an issuer on the same machine (tests, a local Keycloak).
          issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : undefined,
        );
      } catch (err) {
        this.configuration = undefined;
        throw new RpcError(
          'provider_unavailable',
          `cannot read ${this.settings.issuerUrl}/.well-known/openid-configuration: ${describe(err)}`,
        );
      }
    })();
    return this.configuration;
  }
}

/**
 * GitHub, through the GitHub App's user authorization (Octokit's OAuth app support) and
 * `GET /user`. Octokit's web flow takes no PKCE verifier; the state is what binds the code to
 * this sign-in, and the broker spends it once and only from the browser it was issued to.
 */
export class GitHubSignIn implements SignInProvider {
  readonly label = 'GitHub';

  constructor(private readonly github: GitHubOAuthClient) {}

  async authorizeUrl(request: SignInRequest): Promise<string> {
    return this.github.authorizeUrl({ state: request.state, redirectUrl: request.redirectUrl });
  }

  async exchange(request: SignInRequest & { code: string }): Promise<SignedInAccount> {
    try {
      const { account } = await this.github.exchange({
        code: request.code,
        redirectUrl: request.redirectUrl,
      });
      return { ...account, email: null };
    } catch (err) {
      throw new RpcError('provider_refused', `GitHub refused the sign-in: ${describe(err)}`);
    }
  }
}

function stringClaim(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** openid-client and Octokit put the provider's `error`/`error_description` on the error. */
function describe(err: unknown): string {
  const e = err as { message?: string; error?: string; error_description?: string; cause?: unknown };
  if (e.error) return `${e.error}${e.error_description ? ` (${e.error_description})` : ''}`;
  return e.message ?? String(err);
}
