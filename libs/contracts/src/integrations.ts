import { z } from 'zod';
import { defineRpc } from './contract';
import { isoDate } from './domain';

/** The outside systems Horizon talks to, as Settings names them. */
export const INTEGRATIONS = ['github', 'linear', 'slack', 'model', 'forge'] as const;
export const integrationSchema = z.enum(INTEGRATIONS);

/**
 * One integration as the service that owns it sees it: whether it is configured (and if not,
 * which settings to set, as docs/configuration.md names them; never their values) and, when it
 * is, whether a cheap probe with a short timeout got an answer.
 */
export const integrationCheckSchema = z.object({
  integration: integrationSchema,
  /** The service that owns it and made the check. */
  service: z.string(),
  configured: z.boolean(),
  /** The settings that configure it (all of them when it is configured, the missing ones when not). */
  settings: z.array(z.string()),
  /** null when not configured, so nothing was probed. */
  answering: z.boolean().nullable(),
  latencyMs: z.number().int().nonnegative().nullable(),
  /** What the probe saw, or what to do. */
  detail: z.string(),
  checkedAt: isoDate,
});
export type IntegrationCheck = z.infer<typeof integrationCheckSchema>;

export const notifierIntegrationStatus = defineRpc({
  subject: 'hzn.rpc.notifier.integration_status',
  version: 1,
  description:
    'Whether the integrations the notifier delivers to (Slack, Linear, the local forge) are configured, and whether each answered a cheap probe (a few seconds at most).',
  data: z.object({}),
  reply: z.object({ checks: z.array(integrationCheckSchema) }),
});

export const sandboxIntegrationStatus = defineRpc({
  subject: 'hzn.rpc.sandbox.integration_status',
  version: 1,
  description:
    "Whether the model provider the sandboxes' egress proxy forwards to is configured, and whether it answered a cheap probe (its model list; a few seconds at most).",
  data: z.object({}),
  reply: z.object({ checks: z.array(integrationCheckSchema) }),
});

export const identityIntegrationStatus = defineRpc({
  subject: 'hzn.rpc.identity.integration_status',
  version: 1,
  description:
    "Whether identity-broker's GitHub App is configured, and whether GitHub answered a cheap probe signed with the app's JWT (GET /app; a few seconds at most). Never a secret.",
  data: z.object({}),
  reply: z.object({ checks: z.array(integrationCheckSchema) }),
});

export const integrationContracts = [
  notifierIntegrationStatus,
  sandboxIntegrationStatus,
  identityIntegrationStatus,
] as const;
