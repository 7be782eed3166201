import { z } from 'zod';
import { baseConfig, durationMs, port, url, listenHost } from '@horizon/config';
import { keyringConfigShape } from '@horizon/keyring';

const optional = (what: string) => z.string().min(1).optional().describe(what);

/** Everything identity-broker reads from the environment, parsed once at start. */
export const configShape = {
  ...baseConfig,
  IDENTITY_BROKER_PORT: port(9103),
  IDENTITY_BROKER_HOST: listenHost,

  ...keyringConfigShape,

  GITHUB_API_URL: url(['https', 'http'], 'https://api.github.com'),
  GITHUB_APP_ID: optional('the GitHub App id'),
  GITHUB_APP_PRIVATE_KEY: optional('the GitHub App private key, PEM (\\n escapes allowed)'),
  GITHUB_APP_CLIENT_ID: optional('the GitHub App OAuth client id'),
  GITHUB_APP_CLIENT_SECRET: optional('the GitHub App OAuth client secret'),

  LINEAR_CLIENT_ID: optional('the Linear OAuth application client id'),
  LINEAR_CLIENT_SECRET: optional('the Linear OAuth application client secret'),
  LINEAR_AUTHORIZE_URL: url(['https', 'http'], 'https://linear.app/oauth/authorize'),
  LINEAR_API_URL: url(['https', 'http'], 'https://api.linear.app'),

  SLACK_CLIENT_ID: optional('the Slack app client id'),
  SLACK_CLIENT_SECRET: optional('the Slack app client secret'),
  SLACK_AUTHORIZE_URL: url(['https', 'http'], 'https://slack.com/openid/connect/authorize'),
  SLACK_API_URL: url(['https', 'http'], 'https://slack.com/api/'),

  /** Console sign-in through an OpenID Provider (Okta, Entra ID, Google, Keycloak, ...): all three or none. */
  OIDC_ISSUER_URL: url(['https', 'http'])
    .optional()
    .describe(
      "the OpenID Provider's issuer URL (its /.well-known/openid-configuration is read on the first sign-in)",
    ),
  OIDC_ISSUER_NAME: z
    .string()
    .min(1)
    .default('single sign-on')
    .describe('the name on the console\'s "Sign in with ..." button, e.g. Okta'),
  OIDC_CLIENT_ID: optional('the client id the console is registered under at the OpenID Provider'),
  OIDC_CLIENT_SECRET: optional("that client's secret"),

  IDENTITY_OAUTH_REDIRECT_URL: url(['https', 'http'])
    .optional()
    .describe('a URL with scheme https:// or http://'),
  IDENTITY_REFRESH_MARGIN_MS: durationMs(10 * 60 * 1000),
  IDENTITY_REFRESH_INTERVAL_MS: durationMs(5 * 60 * 1000),
};

export type IdentityBrokerConfig = z.infer<z.ZodObject<typeof configShape>>;
