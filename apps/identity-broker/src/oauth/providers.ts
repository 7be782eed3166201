import type { App } from '@horizon/integrations-github';
import { githubUserOAuth } from '@horizon/integrations-github';
import { RpcError } from '@horizon/messaging';
import { linearEndpoints } from '@horizon/integrations-linear';

export interface ProviderTokens {
  accessToken: string;
  refreshToken?: string;
  expiresAt?: Date;
  refreshTokenExpiresAt?: Date;
}

export interface LinkedAccount {
  externalId: string;
  login: string | null;
  displayName: string;
}

/** One provider's OAuth: where to send the person, what the code is worth, how to refresh. */
export interface OAuthProviderClient {
  authorizeUrl(request: { state: string; nonce: string; redirectUrl?: string }): string;
  exchange(request: {
    code: string;
    nonce: string;
    redirectUrl?: string;
  }): Promise<{ tokens: ProviderTokens; account: LinkedAccount }>;
  refresh(refreshToken: string): Promise<ProviderTokens>;
}

/** GitHub App user authorization, through `app.oauth` (Octokit's OAuth app support). */
export class GitHubOAuthClient implements OAuthProviderClient {
  constructor(
    private readonly app: App,
    private readonly apiUrl: string,
  ) {}

  authorizeUrl(request: { state: string; redirectUrl?: string }): string {
    return githubUserOAuth.authorizationUrl(this.app, request);
  }

  async exchange(request: { code: string; redirectUrl?: string }) {
    const tokens = await githubUserOAuth.exchangeCode(this.app, request);
    const user = await githubUserOAuth.user(tokens.accessToken, this.apiUrl);
    return {
      tokens,
      account: { externalId: String(user.id), login: user.login, displayName: user.name ?? user.login },
    };
  }

  refresh(refreshToken: string): Promise<ProviderTokens> {
    return githubUserOAuth.refresh(this.app, refreshToken);
  }
}

/** A provider's OAuth app as configured: its credentials and where to authorize and exchange. */
export interface OAuthAppSettings {
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  apiUrl: string;
}

/**
 * Linear OAuth 2.0 (https://linear.app/developers/oauth-2-0-authentication): authorize at
 * linear.app, exchange and refresh at `POST {api}/oauth/token` (form-encoded), then ask the
 * GraphQL API who the token belongs to, through the official SDK.
 */
export class LinearOAuthClient implements OAuthProviderClient {
  constructor(private readonly settings: OAuthAppSettings) {}

  authorizeUrl(request: { state: string; redirectUrl?: string }): string {
    const url = new URL(this.settings.authorizeUrl);
    url.search = new URLSearchParams({
      client_id: this.settings.clientId,
      response_type: 'code',
      scope: 'read',
      state: request.state,
      actor: 'user',
      ...(request.redirectUrl ? { redirect_uri: request.redirectUrl } : {}),
    }).toString();
    return url.toString();
  }

  async exchange(request: { code: string; redirectUrl?: string }) {
    const tokens = await this.token({
      grant_type: 'authorization_code',
      code: request.code,
      ...(request.redirectUrl ? { redirect_uri: request.redirectUrl } : {}),
    });
    const { LinearClient } = await import('@linear/sdk');
    const viewer = await new LinearClient({
      accessToken: tokens.accessToken,
      apiUrl: linearEndpoints(this.settings.apiUrl).graphql,
    }).viewer;
    return {
      tokens,
      account: { externalId: viewer.id, login: viewer.email ?? null, displayName: viewer.name },
    };
  }

  refresh(refreshToken: string): Promise<ProviderTokens> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  private async token(grant: Record<string, string>): Promise<ProviderTokens> {
    const res = await fetch(linearEndpoints(this.settings.apiUrl).oauthToken, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        ...grant,
        client_id: this.settings.clientId,
        client_secret: this.settings.clientSecret,
      }),
    });
    const body = (await res.json().catch(() => ({}))) as {
      access_token?: string;
      refresh_token?: string;
      expires_in?: number;
      error?: string;
      error_description?: string;
    };
    if (!res.ok || !body.access_token) {
      throw new RpcError(
        'oauth_failed',
        `linear token endpoint: ${body.error ?? res.status} ${body.error_description ?? ''}`.trim(),
      );
    }
    return {
      accessToken: body.access_token,
      ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}),
      ...(body.expires_in ? { expiresAt: new Date(Date.now() + body.expires_in * 1000) } : {}),
    };
  }
}

/**
 * Sign in with Slack (OpenID Connect, https://docs.slack.dev/authentication/sign-in-with-slack/):
 * authorize at slack.com/openid/connect/authorize, exchange through `openid.connect.token`
 * with the official Web API client. The id_token comes straight from Slack's token endpoint
 * over TLS, which OIDC Core §3.1.3.7 accepts in place of checking its signature; its issuer,
 * audience, nonce and expiry are checked.
 */
export class SlackOAuthClient implements OAuthProviderClient {
  constructor(private readonly settings: OAuthAppSettings) {}

  authorizeUrl(request: { state: string; nonce: string; redirectUrl?: string }): string {
    const url = new URL(this.settings.authorizeUrl);
    url.search = new URLSearchParams({
      response_type: 'code',
      scope: 'openid profile email',
      client_id: this.settings.clientId,
      state: request.state,
      nonce: request.nonce,
      ...(request.redirectUrl ? { redirect_uri: request.redirectUrl } : {}),
    }).toString();
    return url.toString();
  }

  async exchange(request: { code: string; nonce: string; redirectUrl?: string }) {
    const answer = await this.token({
      code: request.code,
      ...(request.redirectUrl ? { redirect_uri: request.redirectUrl } : {}),
    });
    const claims = decodeJwtPayload(answer.idToken);
    const now = Math.floor(Date.now() / 1000);
    if (
      claims.iss !== 'https://slack.com' ||
      claims.aud !== this.settings.clientId ||
      claims.nonce !== request.nonce ||
      Number(claims.exp) <= now
    ) {
      throw new RpcError('oauth_failed', 'slack id_token: wrong issuer, audience, nonce or expired');
    }
    const userId = claims['https://slack.com/user_id'];
    if (typeof userId !== 'string') throw new RpcError('oauth_failed', 'slack id_token carries no user id');
    return {
      tokens: answer.tokens,
      account: {
        externalId: userId,
        login: typeof claims.email === 'string' ? claims.email : null,
        displayName: String(claims.name ?? userId),
      },
    };
  }

  async refresh(refreshToken: string): Promise<ProviderTokens> {
    return (await this.token({ grant_type: 'refresh_token', refresh_token: refreshToken })).tokens;
  }

  private async token(grant: Record<string, string>): Promise<{ tokens: ProviderTokens; idToken: string }> {
    const { webApi } = await import('@slack/bolt');
    const client = new webApi.WebClient(undefined, {
      slackApiUrl: withSlash(this.settings.apiUrl),
      retryConfig: { retries: 0 },
    });
    let result;
    try {
      result = await client.openid.connect.token({
        client_id: this.settings.clientId,
        client_secret: this.settings.clientSecret,
        ...grant,
      });
    } catch (err) {
      throw new RpcError('oauth_failed', `slack openid.connect.token: ${(err as Error).message}`);
    }
    if (!result.access_token)
      throw new RpcError('oauth_failed', 'slack openid.connect.token returned no access token');
    return {
      tokens: {
        accessToken: result.access_token,
        ...(result.refresh_token ? { refreshToken: result.refresh_token } : {}),
        ...(result.expires_in ? { expiresAt: new Date(Date.now() + result.expires_in * 1000) } : {}),
      },
      idToken: result.id_token ?? '',
    };
  }
}

function decodeJwtPayload(jwt: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
  } catch {
    throw new RpcError('oauth_failed', 'slack returned an id_token that is not a JWT');
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
