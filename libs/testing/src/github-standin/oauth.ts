import { randomBytes } from 'node:crypto';
import type { GitHubModel } from './model';

/**
 * GitHub's web OAuth endpoints for a GitHub App's user authorization (github.com, not the
 * REST API, so not in the OpenAPI description): the authorize page, answered as if the
 * signed-in user clicked "Authorize", and the token endpoint with its 200-with-`error`
 * answers.
 */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface OAuthSettings {
  /** Who is signed in to the stand-in's github.com; `null` makes the authorize page refuse. */
  signedInAs: string | null;
  userTokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number;
}

const DOCS =
  'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors';

export class OAuthEndpoints {
  constructor(
    private readonly model: GitHubModel,
    private readonly client: OAuthClient,
    readonly settings: OAuthSettings,
  ) {}

  /** `GET /login/oauth/authorize`: a redirect back with `code` and `state`, or an error page. */
  authorize(query: URLSearchParams): { status: number; location?: string; text?: string } {
    if (query.get('client_id') !== this.client.clientId) return { status: 404, text: 'Not Found' };
    const redirectUri = query.get('redirect_uri');
    if (!redirectUri)
      return {
        status: 400,
        text: 'redirect_uri is required by this stand-in (no callback URL is configured)',
      };
    if (!this.settings.signedInAs) return { status: 401, text: 'Sign in to GitHub to continue' };
    const code = randomBytes(10).toString('hex');
    this.model.oauthCodes.set(code, {
      login: this.settings.signedInAs,
      redirectUri,
      expiresAt: new Date(Date.now() + 10 * 60 * 1000),
    });
    const location = new URL(redirectUri);
    location.searchParams.set('code', code);
    const state = query.get('state');
    if (state) location.searchParams.set('state', state);
    return { status: 302, location: location.toString() };
  }

  /** `POST /login/oauth/access_token`: exchange a code, or a refresh token, for user tokens. */
  accessToken(params: Record<string, unknown>): Record<string, unknown> {
    if (params.client_id !== this.client.clientId || params.client_secret !== this.client.clientSecret) {
      return failure(
        'incorrect_client_credentials',
        'The client_id and/or client_secret passed are incorrect.',
      );
    }
    if (params.grant_type === 'refresh_token') {
      const grant = this.model.refreshTokens.get(String(params.refresh_token));
      if (!grant || grant.expiresAt < new Date()) {
        return failure('bad_refresh_token', 'The refresh token passed is incorrect or expired.');
      }
      // A refresh token is single use: GitHub issues a new one with the new access token.
      this.model.refreshTokens.delete(String(params.refresh_token));
      return this.tokensFor(grant.login);
    }
    const code = this.model.oauthCodes.get(String(params.code));
    if (!code || code.expiresAt < new Date()) {
      return failure('bad_verification_code', 'The code passed is incorrect or expired.');
    }
    if (params.redirect_uri !== undefined && params.redirect_uri !== code.redirectUri) {
      return failure(
        'redirect_uri_mismatch',
        'The redirect_uri MUST match the registered callback URL for this application.',
      );
    }
    this.model.oauthCodes.delete(String(params.code));
    return this.tokensFor(code.login);
  }

  private tokensFor(login: string): Record<string, unknown> {
    const { userTokenLifetimeSeconds: ttl, refreshTokenLifetimeSeconds: refreshTtl } = this.settings;
    const accessToken = this.model.issueToken('ghu', {
      kind: 'user',
      login,
      expiresAt: new Date(Date.now() + ttl * 1000),
    });
    const refreshToken = this.model.issueToken('ghr');
    this.model.refreshTokens.set(refreshToken, {
      login,
      expiresAt: new Date(Date.now() + refreshTtl * 1000),
    });
    return {
      access_token: accessToken,
      expires_in: ttl,
      refresh_token: refreshToken,
      refresh_token_expires_in: refreshTtl,
      scope: '',
      token_type: 'bearer',
    };
  }
}

function failure(error: string, description: string): Record<string, unknown> {
  return { error, error_description: description, error_uri: DOCS };
}
