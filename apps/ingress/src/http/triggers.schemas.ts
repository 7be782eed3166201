import { z } from 'zod';
import { triggerFormatSchema } from '@horizon/contracts';

const fields = (s: z.ZodObject) => s.shape;
const templateField = (what: string) =>
  z
    .string()
    .min(1)
    .max(20_000)
    .optional()
    .describe(
      `a Mustache template over the payload for the work item's ${what} (sentry: a built-in default)`,
    );

/** `POST /api/v1/triggers`. */
export const createTriggerBody = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes, at most 63')
    .describe('the trigger is POST /webhooks/generic/<name>'),
  format: triggerFormatSchema
    .default('horizon')
    .describe('horizon: X-Horizon-Signature t=<unix>,v1=<hex>; sentry: Sentry-Hook-Signature (issue alerts)'),
  repo: z
    .string()
    .regex(/^[^/\s]+\/[^/\s]+$/, 'owner/name')
    .describe('where the work happens'),
  kind: z.enum(['implement', 'plan']).default('implement'),
  filter: z
    .unknown()
    .optional()
    .describe(
      'a JSON-logic rule over the payload, e.g. {"==": [{"var": "action"}, "triggered"]}; absent: every delivery',
    ),
  titleTemplate: templateField('title'),
  promptTemplate: templateField('description (the prompt); it must read at least one field'),
  labels: z.array(z.string().min(1).max(100)).max(20).default([]),
  secret: z
    .string()
    .min(16)
    .max(500)
    .optional()
    .describe("sentry: the integration's client secret (required); horizon: absent means one is generated"),
});

export const triggerView = z.object({
  id: z.string().uuid(),
  name: z.string(),
  format: triggerFormatSchema,
  path: z.string().describe('where the sender posts'),
  repo: z.string(),
  kind: z.string(),
  filter: z.unknown(),
  titleTemplate: z.string(),
  promptTemplate: z.string(),
  labels: z.array(z.string()),
  createdBy: z.string(),
  createdAt: z.string(),
});

export const createdTrigger = z.object({
  trigger: triggerView,
  secret: z.string().describe('the signing secret, shown in this answer only (stored sealed)'),
});

export const triggerList = z.object({ triggers: z.array(triggerView) });

export const triggerNameParam = fields(createTriggerBody).name;
