import { z } from 'zod';
import { defineRpc } from './contract';
import { isoDate, providerSchema } from './domain';

const identity = z.object({
  id: z.string().uuid(),
  displayName: z.string(),
  links: z.array(z.object({ provider: providerSchema, externalId: z.string(), login: z.string().nullable() })),
});

/** Request/reply on `hzn.rpc.identity.*`, answered by identity-broker. */
export const identityResolve = defineRpc({
  subject: 'hzn.rpc.identity.resolve',
  version: 1,
  description: 'Find the Horizon identity linked to a provider user.',
  data: z.object({ provider: providerSchema, externalId: z.string().min(1) }),
  reply: z.object({ identity: identity.nullable() }),
});

export const identityMintRunToken = defineRpc({
  subject: 'hzn.rpc.identity.mint_run_token',
  version: 1,
  description: 'Mint a short-lived forge token scoped to one repository for one run.',
  data: z.object({
    runId: z.string().uuid(),
    repo: z.string(),
    permissions: z.record(z.string(), z.enum(['read', 'write'])),
  }),
  reply: z.object({ token: z.string(), expiresAt: isoDate }),
});

export const identityContracts = [identityResolve, identityMintRunToken] as const;
