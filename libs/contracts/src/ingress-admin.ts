import { z } from 'zod';
import { defineRpc } from './contract';
import { isoDate } from './domain';
import { FOLLOW_UP_MAX_CHARS } from './ingress';
import { budgetActionSchema, budgetExtraSchema } from './budget';

/** What a work API token may do. */
/** `triggers:manage`: create, list and delete webhook triggers (each starts work in its repository). */
export const API_SCOPES = ['work:read', 'work:write', 'triggers:manage'] as const;
export const apiScopeSchema = z.enum(API_SCOPES);
export type ApiScope = z.infer<typeof apiScopeSchema>;

/** Request/reply on `hzn.rpc.ingress.*`, answered by ingress: administration of what it owns. */
export const ingressCreateApiToken = defineRpc({
  subject: 'hzn.rpc.ingress.create_api_token',
  version: 1,
  description: 'Create a work API token. The token is in this reply only: ingress keeps its SHA-256 hash.',
  data: z.object({
    name: z.string().min(1),
    scopes: z.array(apiScopeSchema).min(1),
    expiresAt: isoDate.nullable().default(null),
  }),
  reply: z.object({
    id: z.string().uuid(),
    name: z.string(),
    scopes: z.array(apiScopeSchema),
    expiresAt: isoDate.nullable(),
    token: z.string(),
  }),
});

/** A work API token as ingress describes it: never the token, which only its creator saw once. */
export const apiTokenSummarySchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  scopes: z.array(apiScopeSchema),
  createdAt: isoDate,
  lastUsedAt: isoDate.nullable(),
  expiresAt: isoDate.nullable(),
  revokedAt: isoDate.nullable(),
});
export type ApiTokenSummary = z.infer<typeof apiTokenSummarySchema>;

export const ingressListApiTokens = defineRpc({
  subject: 'hzn.rpc.ingress.list_api_tokens',
  version: 1,
  description:
    'Every work API token ingress has made, revoked ones included, oldest first; never the tokens.',
  data: z.object({}),
  reply: z.object({ tokens: z.array(apiTokenSummarySchema) }),
});

export const ingressRevokeApiToken = defineRpc({
  subject: 'hzn.rpc.ingress.revoke_api_token',
  version: 1,
  description:
    'Revoke a work API token now; the work API refuses it from then on. Refused with not_found when ingress has no such token; revoked is false when it already was revoked.',
  data: z.object({ id: z.string().uuid() }),
  reply: z.object({ revoked: z.boolean(), token: apiTokenSummarySchema }),
});

export const ingressReplayDelivery = defineRpc({
  subject: 'hzn.rpc.ingress.replay_delivery',
  version: 1,
  description:
    "Publish a recorded webhook delivery again under a new envelope id, caused by the original. Refused with not_found when no such delivery is recorded, not_replayable when it has no envelope. (The local forge's deliveries are the forge's to replay.)",
  data: z.object({
    source: z.enum(['github', 'linear', 'slack', 'trigger']),
    deliveryId: z.string().min(1),
  }),
  reply: z.object({
    originalId: z.string(),
    envelopeId: z.string(),
    subject: z.string(),
    seq: z.number().int(),
  }),
});

/** What ingress answers once the event it published on someone's behalf is in JetStream. */
const publishedReply = z.object({ envelopeId: z.string(), status: z.enum(['accepted', 'duplicate']) });

export const ingressCancelWorkItem = defineRpc({
  subject: 'hzn.rpc.ingress.cancel_work_item',
  version: 1,
  description:
    "Ask for a work item to be cancelled on someone's behalf (the console): ingress publishes the same hzn.ingress.api.work_item_cancel the work API does, with them as requestedBy, and answers once JetStream holds it.",
  data: z.object({
    workItemId: z.string().uuid(),
    reason: z.string().min(1).max(2000),
    /** Who asked, as the orchestrator's audit shows it, e.g. `console:ada`. */
    requestedBy: z.string().min(1),
  }),
  reply: publishedReply,
});

export const ingressFollowUpWorkItem = defineRpc({
  subject: 'hzn.rpc.ingress.follow_up_work_item',
  version: 1,
  description:
    "Pass a person's words to a work item's run in flight (the console's chat box): ingress publishes hzn.ingress.api.work_item_follow_up with them as author, and answers once JetStream holds it.",
  data: z.object({
    workItemId: z.string().uuid(),
    text: z.string().min(1).max(FOLLOW_UP_MAX_CHARS),
    /** The person, as the console names them (`ada`). */
    author: z.string().min(1),
  }),
  reply: publishedReply,
});

export const ingressRetryWorkItem = defineRpc({
  subject: 'hzn.rpc.ingress.retry_work_item',
  version: 1,
  description:
    "Ask for a failed, cancelled or timed-out work item to be tried again on someone's behalf (the console): ingress publishes hzn.ingress.api.work_item_retry with them as requestedBy, and answers once JetStream holds it.",
  data: z.object({
    workItemId: z.string().uuid(),
    /** Who asked, as the orchestrator's audit shows it, e.g. `console:ada`. */
    requestedBy: z.string().min(1),
  }),
  reply: publishedReply,
});

export const ingressStartWorkItem = defineRpc({
  subject: 'hzn.rpc.ingress.start_work_item',
  version: 1,
  description:
    "Ask for a planned work item to be started on someone's behalf (the console's Start): ingress publishes the same hzn.ingress.api.work_item_start the work API does, with them as requestedBy, and answers once JetStream holds it.",
  data: z.object({
    workItemId: z.string().uuid(),
    /** Who asked, as the orchestrator's audit shows it, e.g. `console:ada`. */
    requestedBy: z.string().min(1),
  }),
  reply: publishedReply,
});

export const ingressAnswerBudget = defineRpc({
  subject: 'hzn.rpc.ingress.answer_budget',
  version: 1,
  description:
    "Answer a work item waiting at a budget on someone's behalf (the console's Continue / Stop): ingress publishes hzn.ingress.api.work_item_budget_answer with them as requestedBy, and answers once JetStream holds it.",
  data: z.object({
    workItemId: z.string().uuid(),
    action: budgetActionSchema,
    extra: budgetExtraSchema,
    requestedBy: z.string().min(1),
  }),
  reply: publishedReply,
});

export const ingressAdminContracts = [
  ingressAnswerBudget,
  ingressCreateApiToken,
  ingressListApiTokens,
  ingressRevokeApiToken,
  ingressReplayDelivery,
  ingressCancelWorkItem,
  ingressFollowUpWorkItem,
  ingressRetryWorkItem,
  ingressStartWorkItem,
] as const;
