import { z } from 'zod';
import { defineRpc } from './contract';
import { isoDate, providerSchema } from './domain';

const identity = z.object({
  id: z.string().uuid(),
  displayName: z.string(),
  links: z.array(
    z.object({ provider: providerSchema, externalId: z.string(), login: z.string().nullable() }),
  ),
});
export type IdentityView = z.infer<typeof identity>;

/** Providers a person links through OAuth (`local` identities are only linked by an admin). */
export const oauthProviderSchema = z.enum(['github', 'linear', 'slack']);
export type OAuthProvider = z.infer<typeof oauthProviderSchema>;

/**
 * The services allowed to receive a forge token. The broker refuses every other caller; the
 * boundary that makes this hold is NATS authorization (only these services' users may
 * publish on the token subjects), see docs/identity.md.
 */
export const tokenCallerSchema = z.enum(['egress-proxy', 'notifier']);
export type TokenCaller = z.infer<typeof tokenCallerSchema>;

/** The permissions a run token may carry, and their default. */
export const runTokenPermissionsSchema = z.strictObject({
  contents: z.enum(['read', 'write']).optional(),
  pull_requests: z.enum(['read', 'write']).optional(),
  checks: z.enum(['read', 'write']).optional(),
  /** Read only: sandbox-manager reads a failing Actions job's log for a fix run. */
  actions: z.enum(['read']).optional(),
});
export type RunTokenPermissions = z.infer<typeof runTokenPermissionsSchema>;
export const DEFAULT_RUN_TOKEN_PERMISSIONS = {
  contents: 'write',
  pull_requests: 'write',
  checks: 'write',
} as const;

/** Request/reply on `hzn.rpc.identity.*`, answered by identity-broker. */
export const identityResolve = defineRpc({
  subject: 'hzn.rpc.identity.resolve',
  version: 1,
  description: 'Find the Horizon identity linked to a provider user.',
  data: z.object({ provider: providerSchema, externalId: z.string().min(1) }),
  reply: z.object({ identity: identity.nullable() }),
});

export const identityGet = defineRpc({
  subject: 'hzn.rpc.identity.get',
  version: 1,
  description: 'An identity by id, with its links.',
  data: z.object({ identityId: z.string().uuid() }),
  reply: z.object({ identity: identity.nullable() }),
});

export const identityList = defineRpc({
  subject: 'hzn.rpc.identity.list',
  version: 1,
  description:
    "Every identity with its linked accounts (provider, id, login), by name: the console's Settings. Never a token.",
  data: z.object({}),
  reply: z.object({ identities: z.array(identity) }),
});

export const identityLink = defineRpc({
  subject: 'hzn.rpc.identity.link',
  version: 1,
  description:
    'Admin linking: attach a provider account to an identity (or to a new identity named displayName). Refuses an account already linked elsewhere.',
  data: z
    .object({
      identityId: z.string().uuid().optional(),
      displayName: z.string().min(1).optional(),
      provider: providerSchema,
      externalId: z.string().min(1),
      login: z.string().min(1).nullable().optional(),
    })
    .refine((d) => d.identityId !== undefined || d.displayName !== undefined, {
      message: 'identityId or displayName is required',
    }),
  reply: z.object({ identity }),
});

export const identityUnlink = defineRpc({
  subject: 'hzn.rpc.identity.unlink',
  version: 1,
  description:
    "Remove one linked account from an identity. `actor` is who asks, as the caller authenticated them: a person may unlink their own accounts, an admin anyone's. Refused with forbidden (someone else's, not an admin) or not_found (no such identity, or that account is not linked to it). The identity itself stays, with its other links.",
  data: z.object({
    identityId: z.string().uuid(),
    provider: providerSchema,
    externalId: z.string().min(1),
    actor: z.object({
      /** The asker's own identity, when they have one. */
      identityId: z.string().uuid().nullable(),
      admin: z.boolean(),
      name: z.string().min(1),
    }),
  }),
  reply: z.object({ identity }),
});

export const identityStartOAuth = defineRpc({
  subject: 'hzn.rpc.identity.start_oauth',
  version: 1,
  description:
    "The provider's authorize URL for a person to link their account; the signed state carries the identity to attach it to.",
  data: z.object({
    provider: oauthProviderSchema,
    /** Attach the account to this identity; without it, an identity is found or created on completion. */
    identityId: z.string().uuid().optional(),
    redirectUrl: z.string().url().optional(),
  }),
  reply: z.object({ authorizeUrl: z.string().url(), state: z.string(), expiresAt: isoDate }),
});

export const identityCompleteOAuth = defineRpc({
  subject: 'hzn.rpc.identity.complete_oauth',
  version: 1,
  description:
    "Exchange the provider's code (from the redirect), link the account and store its tokens encrypted.",
  data: z.object({
    provider: oauthProviderSchema,
    code: z.string().min(1),
    state: z.string().min(1),
    redirectUrl: z.string().url().optional(),
  }),
  reply: z.object({ identity }),
});

/** How a person signs in to the console through identity-broker: GitHub, or the configured OpenID Provider. */
export const signInMethodSchema = z.enum(['github', 'oidc']);
export type SignInMethod = z.infer<typeof signInMethodSchema>;

export const identitySignInMethods = defineRpc({
  subject: 'hzn.rpc.identity.sign_in_methods',
  version: 1,
  description: 'The sign-in methods this broker is configured for, with the name to show on each button.',
  data: z.object({}),
  reply: z.object({ methods: z.array(z.object({ method: signInMethodSchema, label: z.string() })) }),
});

export const identityStartSignIn = defineRpc({
  subject: 'hzn.rpc.identity.start_sign_in',
  version: 1,
  description:
    "Begin a console sign-in: the provider's authorize URL (state, PKCE and nonce kept by the broker) and a browser binding the console puts in a cookie.",
  data: z.object({ method: signInMethodSchema, redirectUrl: z.string().url() }),
  reply: z.object({ authorizeUrl: z.string().url(), browserBinding: z.string(), expiresAt: isoDate }),
});

export const identityCompleteSignIn = defineRpc({
  subject: 'hzn.rpc.identity.complete_sign_in',
  version: 1,
  description:
    'Finish a console sign-in: spend the state (once, from the browser it was bound to), exchange the code, and answer the Horizon identity the account is linked to (linked on first sign-in).',
  data: z.object({
    method: signInMethodSchema,
    code: z.string().min(1),
    state: z.string().min(1),
    browserBinding: z.string().min(1),
    /** The `iss` the provider sent back with the code (RFC 9207), when it sends one. */
    issuer: z.string().optional(),
  }),
  reply: z.object({
    identity,
    account: z.object({ externalId: z.string(), login: z.string().nullable(), email: z.string().nullable() }),
  }),
});

export const identityMintRunToken = defineRpc({
  subject: 'hzn.rpc.identity.mint_run_token',
  version: 2,
  description:
    'A GitHub App installation token for one run: one repository, contents/pull_requests/checks (and actions: read) at most, expiring within the hour. For the egress proxy and the notifier only.',
  data: z.object({
    runId: z.string().uuid(),
    /** `owner/name`. */
    repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'owner/name'),
    caller: tokenCallerSchema,
    permissions: runTokenPermissionsSchema.optional(),
  }),
  reply: z.object({
    token: z.string(),
    expiresAt: isoDate,
    repositories: z.array(z.string()),
    permissions: z.record(z.string(), z.string()),
  }),
});

export const identityRevokeRunToken = defineRpc({
  subject: 'hzn.rpc.identity.revoke_run_token',
  version: 1,
  description: "Revoke a run's installation tokens at GitHub (DELETE /installation/token) when the run ends.",
  data: z.object({ runId: z.string().uuid() }),
  reply: z.object({ revoked: z.number().int().nonnegative() }),
});

export const identityUserToken = defineRpc({
  subject: 'hzn.rpc.identity.user_token',
  version: 1,
  description:
    "A linked person's user-to-server token (refreshed first when it is about to expire), so a PR is authored by them. null when they have none.",
  data: z.object({ identityId: z.string().uuid(), provider: oauthProviderSchema, caller: tokenCallerSchema }),
  reply: z.object({
    token: z
      .object({ accessToken: z.string(), expiresAt: isoDate.nullable(), login: z.string().nullable() })
      .nullable(),
  }),
});

export const identityContracts = [
  identityResolve,
  identityGet,
  identityList,
  identityLink,
  identityUnlink,
  identityStartOAuth,
  identityCompleteOAuth,
  identitySignInMethods,
  identityStartSignIn,
  identityCompleteSignIn,
  identityMintRunToken,
  identityRevokeRunToken,
  identityUserToken,
] as const;
