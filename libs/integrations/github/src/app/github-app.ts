import type { App } from '@octokit/app' with { 'resolution-mode': 'import' };
import type { Octokit } from '@octokit/rest' with { 'resolution-mode': 'import' };

export type { App, Octokit };

let sdk: Promise<{ App: typeof App; Octokit: typeof Octokit }> | undefined;

/** The Octokit packages are ES modules only; this CommonJS workspace loads them once, lazily. */
function loadSdk() {
  sdk ??= Promise.all([import('@octokit/app'), import('@octokit/rest')]).then(([app, rest]) => ({
    App: app.App,
    Octokit: rest.Octokit,
  }));
  return sdk;
}

export const GITHUB_API_URL = 'https://api.github.com';

export interface GitHubAppConfig {
  appId: string | number;
  /** The app's private key, PEM. */
  privateKey: string;
  /** The app's OAuth client, for user-to-server tokens (optional: installation tokens do not need it). */
  clientId?: string;
  clientSecret?: string;
  /** REST API root; `GITHUB_API_URL`. OAuth endpoints are derived from it as Octokit does. */
  baseUrl?: string;
}

export type PermissionLevel = 'read' | 'write';
export type InstallationPermissions = Record<string, PermissionLevel>;

export interface InstallationToken {
  token: string;
  expiresAt: Date;
  installationId: number;
  permissions: Record<string, string>;
  repositories: string[];
}

/** An Octokit (REST methods included) that talks to `baseUrl`, authenticated with a token. */
/** Failed requests reach the caller as thrown errors; Octokit's own console logging would only repeat them. */
const quiet = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export async function octokitFor(token: string, baseUrl = GITHUB_API_URL): Promise<Octokit> {
  const { Octokit } = await loadSdk();
  return new Octokit({ auth: token, baseUrl, log: quiet });
}

export async function createGitHubApp(config: GitHubAppConfig): Promise<App> {
  const baseUrl = config.baseUrl ?? GITHUB_API_URL;
  const { App, Octokit } = await loadSdk();
  return new App({
    appId: config.appId,
    privateKey: config.privateKey,
    ...(config.clientId && config.clientSecret
      ? { oauth: { clientId: config.clientId, clientSecret: config.clientSecret } }
      : {}),
    Octokit: Octokit.defaults({ baseUrl, log: quiet }),
    log: quiet,
  });
}

/**
 * An installation token for exactly one repository and exactly the permissions asked for.
 * Requested straight from the endpoint rather than through `app.octokit.auth()`, whose cache
 * would hand back a token that `revokeInstallationToken` has already revoked.
 */
export async function mintInstallationToken(
  app: App,
  target: { owner: string; repo: string; permissions: InstallationPermissions },
): Promise<InstallationToken> {
  const { data: installation } = await app.octokit.request('GET /repos/{owner}/{repo}/installation', {
    owner: target.owner,
    repo: target.repo,
  });
  const { data } = await app.octokit.request('POST /app/installations/{installation_id}/access_tokens', {
    installation_id: installation.id,
    repositories: [target.repo],
    permissions: target.permissions,
  });
  return {
    token: data.token,
    expiresAt: new Date(data.expires_at),
    installationId: installation.id,
    permissions: Object.fromEntries(
      Object.entries(data.permissions ?? {}).filter(([, v]) => v !== undefined),
    ) as Record<string, string>,
    repositories: (data.repositories ?? []).map((r) => r.name),
  };
}

/** Revokes an installation token with itself, as GitHub requires (`DELETE /installation/token`). */
export async function revokeInstallationToken(token: string, baseUrl = GITHUB_API_URL): Promise<void> {
  await (await octokitFor(token, baseUrl)).request('DELETE /installation/token');
}

export interface GitHubUserTokens {
  accessToken: string;
  /** Absent when the app has expiring user tokens turned off. */
  refreshToken?: string;
  expiresAt?: Date;
  refreshTokenExpiresAt?: Date;
}

export interface GitHubUser {
  id: number;
  login: string;
  name: string | null;
}

/** GitHub App user authorization (the web flow), through the app's own `app.oauth`. */
export const githubUserOAuth = {
  authorizationUrl(app: App, options: { state: string; redirectUrl?: string }): string {
    return app.oauth.getWebFlowAuthorizationUrl({ state: options.state, redirectUrl: options.redirectUrl })
      .url;
  },

  async exchangeCode(app: App, options: { code: string; redirectUrl?: string }): Promise<GitHubUserTokens> {
    const { authentication } = await app.oauth.createToken({
      code: options.code,
      redirectUrl: options.redirectUrl,
    });
    return userTokens(authentication);
  },

  async refresh(app: App, refreshToken: string): Promise<GitHubUserTokens> {
    const { authentication } = await app.oauth.refreshToken({ refreshToken });
    return userTokens(authentication);
  },

  async user(token: string, baseUrl = GITHUB_API_URL): Promise<GitHubUser> {
    const { data } = await (await octokitFor(token, baseUrl)).rest.users.getAuthenticated();
    return { id: data.id, login: data.login, name: data.name ?? null };
  },
};

function userTokens(auth: {
  token: string;
  refreshToken?: string;
  expiresAt?: string;
  refreshTokenExpiresAt?: string;
}): GitHubUserTokens {
  return {
    accessToken: auth.token,
    ...(auth.refreshToken ? { refreshToken: auth.refreshToken } : {}),
    ...(auth.expiresAt ? { expiresAt: new Date(auth.expiresAt) } : {}),
    ...(auth.refreshTokenExpiresAt ? { refreshTokenExpiresAt: new Date(auth.refreshTokenExpiresAt) } : {}),
  };
}
