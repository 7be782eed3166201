import { baseConfig, listenHost, durationMs, port, positiveInt } from '@horizon/config';
import { keyringConfigShape } from '@horizon/keyring';
import { z } from 'zod';

const optionalSecret = (what: string) => z.string().min(1).optional().describe(what);

/** Everything ingress reads from the environment, parsed once at start. */
export const configShape = {
  ...baseConfig,
  INGRESS_PORT: port(8080),
  INGRESS_HOST: listenHost,
  INGRESS_BODY_LIMIT: positiveInt(1024 * 1024).describe(
    'the largest webhook body accepted, in bytes (positive integer)',
  ),
  INGRESS_PUBLISH_TIMEOUT_MS: durationMs(2000),
  INGRESS_RETRY_AFTER_SECONDS: positiveInt(5).describe(
    'seconds a sender is told to wait after a 503 (positive integer)',
  ),
  GITHUB_WEBHOOK_SECRET: z
    .string()
    .refine((v) => v.split(',').some((s) => s.trim().length > 0))
    .optional()
    .describe('one or more secrets, comma-separated (old and new side by side during a rotation)'),
  LINEAR_WEBHOOK_SECRET: optionalSecret("the Linear webhook's signing secret"),
  SLACK_SIGNING_SECRET: optionalSecret("the Slack app's signing secret"),
  INGRESS_TRIGGER_TOLERANCE_SECONDS: positiveInt(300).describe(
    "how far a webhook trigger delivery's signed timestamp may be from now, in seconds (positive integer)",
  ),
  /** Webhook triggers' secrets are sealed with the same keyring as identity-broker's credentials. */
  ...keyringConfigShape,
  SLACK_BOT_USER_ID: z
    .string()
    .regex(/^[UW][A-Z0-9]+$/)
    .optional()
    .describe("the Slack bot's user id (U… or W…)"),
};

export type IngressConfig = z.infer<z.ZodObject<typeof configShape>>;
