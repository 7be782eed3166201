import { oauthProviderSchema } from '@horizon/contracts';
import type { DataOf, OAuthProvider, ReplyOf, SignInMethod } from '@horizon/contracts';
import type {
  identityCompleteOAuth,
  identityGet,
  identityLink,
  identityList,
  identityMintRunToken,
  identityResolve,
  identityRevokeRunToken,
  identityStartOAuth,
  identityUnlink,
  identityUserToken,
} from '@horizon/contracts';
import type { PrismaClient } from '@horizon/db';
import type { App } from '@horizon/integrations-github';
import { createGitHubApp } from '@horizon/integrations-github';
import { RpcError } from '@horizon/messaging';
import type { Logger } from '@horizon/observability';
import type { IdentityBrokerConfig } from '../config';
import { CredentialStore } from '../persistence/credential-store';
import type { Keyring } from '@horizon/keyring';
import { IdentityRepository } from '../persistence/identity.repository';
import { OAuthStateSigner } from '../domain/oauth-state';
import {
  GitHubOAuthClient,
  LinearOAuthClient,
  OAuthProviderClient,
  SlackOAuthClient,
} from '../oauth/providers';
import { GitHubSignIn, OidcSignIn, type SignInProvider } from '../oauth/sign-in-providers';
import { SignInAttemptRepository } from '../persistence/sign-in-attempts.repository';
import { ConsoleSignIn } from './console-sign-in';
import { checkGitHubApp } from './github-app-probe';
import { RunTokens } from './run-tokens';
import { UserTokens } from './user-tokens';

/** The GitHub App from configuration, or null when GITHUB_APP_ID / GITHUB_APP_PRIVATE_KEY are unset. */
function githubApp(config: IdentityBrokerConfig): (() => Promise<App>) | null {
  if (!config.GITHUB_APP_ID || !config.GITHUB_APP_PRIVATE_KEY) return null;
  let app: Promise<App> | undefined;
  return () =>
    (app ??= createGitHubApp({
      appId: config.GITHUB_APP_ID!,
      privateKey: config.GITHUB_APP_PRIVATE_KEY!.replace(/\\n/g, '\n'),
      baseUrl: config.GITHUB_API_URL,
      ...(config.GITHUB_APP_CLIENT_ID ? { clientId: config.GITHUB_APP_CLIENT_ID } : {}),
      ...(config.GITHUB_APP_CLIENT_SECRET ? { clientSecret: config.GITHUB_APP_CLIENT_SECRET } : {}),
    }));
}

async function oauthClients(config: IdentityBrokerConfig, app: (() => Promise<App>) | null) {
  const clients: Partial<Record<OAuthProvider, OAuthProviderClient>> = {};
  if (app && config.GITHUB_APP_CLIENT_ID && config.GITHUB_APP_CLIENT_SECRET) {
    clients.github = new GitHubOAuthClient(await app(), config.GITHUB_API_URL);
  }
  if (config.LINEAR_CLIENT_ID && config.LINEAR_CLIENT_SECRET) {
    clients.linear = new LinearOAuthClient({
      clientId: config.LINEAR_CLIENT_ID,
      clientSecret: config.LINEAR_CLIENT_SECRET,
      authorizeUrl: config.LINEAR_AUTHORIZE_URL,
      apiUrl: config.LINEAR_API_URL,
    });
  }
  if (config.SLACK_CLIENT_ID && config.SLACK_CLIENT_SECRET) {
    clients.slack = new SlackOAuthClient({
      clientId: config.SLACK_CLIENT_ID,
      clientSecret: config.SLACK_CLIENT_SECRET,
      authorizeUrl: config.SLACK_AUTHORIZE_URL,
      apiUrl: config.SLACK_API_URL,
    });
  }
  return clients;
}

/** Console sign-in: GitHub when its OAuth is configured, the OpenID Provider when OIDC_* is set. */
function signInProviders(
  config: IdentityBrokerConfig,
  oauth: Partial<Record<OAuthProvider, OAuthProviderClient>>,
): Partial<Record<SignInMethod, SignInProvider>> {
  const providers: Partial<Record<SignInMethod, SignInProvider>> = {};
  if (oauth.github instanceof GitHubOAuthClient) providers.github = new GitHubSignIn(oauth.github);
  if (config.OIDC_ISSUER_URL && config.OIDC_CLIENT_ID && config.OIDC_CLIENT_SECRET) {
    providers.oidc = new OidcSignIn({
      issuerUrl: config.OIDC_ISSUER_URL,
      clientId: config.OIDC_CLIENT_ID,
      clientSecret: config.OIDC_CLIENT_SECRET,
      label: config.OIDC_ISSUER_NAME,
    });
  }
  return providers;
}

/**
 * The identity broker's use cases, one per RPC (messaging/identity-rpc.responder.ts), free of Nest: identities and links,
 * OAuth linking, console sign-in, run tokens and people's tokens, all credentials sealed under the keyring.
 */
export class IdentityBroker {
  private constructor(
    readonly identities: IdentityRepository,
    readonly credentials: CredentialStore,
    readonly userTokens: UserTokens,
    readonly signIn: ConsoleSignIn,
    private readonly runTokens: RunTokens | null,
    private readonly app: (() => Promise<App>) | null,
    private readonly oauth: Partial<Record<OAuthProvider, OAuthProviderClient>>,
    private readonly state: OAuthStateSigner,
    private readonly config: IdentityBrokerConfig,
    private readonly logger: Logger,
  ) {}

  static async create(
    config: IdentityBrokerConfig,
    prisma: PrismaClient,
    keyring: Keyring,
    logger: Logger,
  ): Promise<IdentityBroker> {
    const credentials = new CredentialStore(prisma, keyring);
    const app = githubApp(config);
    const oauth = await oauthClients(config, app);
    const identities = new IdentityRepository(prisma);
    return new IdentityBroker(
      identities,
      credentials,
      new UserTokens(credentials, oauth, config.IDENTITY_REFRESH_MARGIN_MS, logger),
      new ConsoleSignIn(
        signInProviders(config, oauth),
        new SignInAttemptRepository(prisma),
        identities,
        logger,
      ),
      app ? new RunTokens(credentials, app, config.GITHUB_API_URL, logger) : null,
      app,
      oauth,
      new OAuthStateSigner(keyring),
      config,
      logger,
    );
  }

  resolve({
    provider,
    externalId,
  }: DataOf<typeof identityResolve>): Promise<ReplyOf<typeof identityResolve>> {
    return this.identities.resolve(provider, externalId).then((identity) => ({ identity }));
  }

  get({ identityId }: DataOf<typeof identityGet>): Promise<ReplyOf<typeof identityGet>> {
    return this.identities.get(identityId).then((identity) => ({ identity }));
  }

  list(): Promise<ReplyOf<typeof identityList>> {
    return this.identities.list().then((identities) => ({ identities }));
  }

  async link(d: DataOf<typeof identityLink>): Promise<ReplyOf<typeof identityLink>> {
    const identity = await this.identities.link(
      {
        ...(d.identityId ? { identityId: d.identityId } : {}),
        ...(d.displayName ? { displayName: d.displayName } : {}),
      },
      {
        provider: d.provider,
        externalId: d.externalId,
        ...(d.login !== undefined ? { login: d.login } : {}),
      },
    );
    return { identity };
  }

  /**
   * Removes a linked account. The caller (the console, the CLI) says who asks; the broker holds
   * the rule: your own accounts, or anyone's when you are an admin.
   */
  async unlink(d: DataOf<typeof identityUnlink>): Promise<ReplyOf<typeof identityUnlink>> {
    const account = `${d.provider} account ${d.externalId}`;
    if (!d.actor.admin && d.actor.identityId !== d.identityId)
      throw new RpcError(
        'forbidden',
        `${d.actor.name} may unlink only their own accounts, and ${account} belongs to someone else; ask an admin`,
      );
    if (!(await this.identities.get(d.identityId)))
      throw new RpcError('not_found', `no identity ${d.identityId}`);
    const identity = await this.identities.unlink(d.identityId, d);
    if (!identity) throw new RpcError('not_found', `${account} is not linked to identity ${d.identityId}`);
    // Its OAuth tokens went with the account: nothing may act as it through this identity now.
    const oauth = oauthProviderSchema.safeParse(d.provider);
    if (oauth.success) await this.userTokens.forget(d.identityId, oauth.data);
    this.logger.info(
      { identityId: d.identityId, provider: d.provider, externalId: d.externalId, actor: d.actor },
      'account unlinked',
    );
    return { identity };
  }

  /** Settings' GitHub row: the app configured or not, and answering or not. */
  integrationStatus() {
    return checkGitHubApp(this.app, this.config.GITHUB_API_URL).then((check) => ({ checks: [check] }));
  }

  async startOAuth({
    provider,
    identityId,
    redirectUrl,
  }: DataOf<typeof identityStartOAuth>): Promise<ReplyOf<typeof identityStartOAuth>> {
    const client = this.oauthClient(provider);
    const { state, payload } = this.state.issue(provider, identityId);
    const redirect = redirectUrl ?? this.config.IDENTITY_OAUTH_REDIRECT_URL;
    const authorizeUrl = client.authorizeUrl({
      state,
      nonce: payload.nonce,
      ...(redirect ? { redirectUrl: redirect } : {}),
    });
    return { authorizeUrl, state, expiresAt: new Date(payload.expiresAt).toISOString() };
  }

  async completeOAuth({
    provider,
    code,
    state,
    redirectUrl,
  }: DataOf<typeof identityCompleteOAuth>): Promise<ReplyOf<typeof identityCompleteOAuth>> {
    const payload = this.state.verify(state, provider);
    const redirect = redirectUrl ?? this.config.IDENTITY_OAUTH_REDIRECT_URL;
    const { tokens, account } = await this.oauthClient(provider).exchange({
      code,
      nonce: payload.nonce,
      ...(redirect ? { redirectUrl: redirect } : {}),
    });
    const identity = await this.identities.link(
      payload.identityId ? { identityId: payload.identityId } : { displayName: account.displayName },
      { provider, externalId: account.externalId, login: account.login },
    );
    await this.userTokens.save(identity.id, provider, tokens, account.login);
    this.logger.info({ identityId: identity.id, provider }, 'account linked through OAuth');
    return { identity };
  }

  async mintRunToken(d: DataOf<typeof identityMintRunToken>): Promise<ReplyOf<typeof identityMintRunToken>> {
    const minted = await this.requireRunTokens().mint({
      runId: d.runId,
      repo: d.repo,
      caller: d.caller,
      ...(d.permissions ? { permissions: definedOnly(d.permissions) } : {}),
    });
    return { ...minted, expiresAt: minted.expiresAt.toISOString() };
  }

  async revokeRunToken({
    runId,
  }: DataOf<typeof identityRevokeRunToken>): Promise<ReplyOf<typeof identityRevokeRunToken>> {
    return { revoked: await this.requireRunTokens().revoke(runId) };
  }

  async userToken({
    identityId,
    provider,
    caller,
  }: DataOf<typeof identityUserToken>): Promise<ReplyOf<typeof identityUserToken>> {
    const token = await this.userTokens.get(identityId, provider);
    if (token) this.logger.info({ identityId, provider, caller }, 'user token handed out');
    return { token: token && { ...token, expiresAt: token.expiresAt?.toISOString() ?? null } };
  }

  private oauthClient(provider: OAuthProvider): OAuthProviderClient {
    const client = this.oauth[provider];
    if (!client)
      throw new RpcError(
        'not_configured',
        `${provider} OAuth is not configured on this broker (see docs/identity.md)`,
      );
    return client;
  }

  private requireRunTokens(): RunTokens {
    if (!this.runTokens)
      throw new RpcError(
        'not_configured',
        'no GitHub App configured: set GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY',
      );
    return this.runTokens;
  }
}

function definedOnly(
  permissions: Record<string, 'read' | 'write' | undefined>,
): Record<string, 'read' | 'write'> {
  return Object.fromEntries(Object.entries(permissions).filter(([, v]) => v !== undefined)) as Record<
    string,
    'read' | 'write'
  >;
}
