import { z } from 'zod';
import { defineContract } from './contract';
import { isoDate, workItemKindSchema } from './domain';
import { deliverySchema } from './ingress-delivery';
import {
  githubCheckCompleted,
  githubInstallation,
  githubIssueComment,
  githubMergeConflict,
  githubPing,
  githubPullRequest,
  githubPullRequestReview,
  githubPullRequestReviewComment,
} from './ingress-github';
import { scheduleFlavourSchema, scheduleOriginSchema } from './schedule';
import { apiWorkItemBudgetAnswer, slackBudgetAnswer } from './ingress-budget';

export * from './ingress-delivery';
export * from './ingress-github';

/** The longest follow-up a person may send to a run: the agent reads it whole. */
export const FOLLOW_UP_MAX_CHARS = 8000;

const linearIssue = z.object({
  id: z.string(),
  identifier: z.string().nullable(),
  title: z.string(),
  description: z.string().nullable(),
  url: z.string().nullable(),
  teamId: z.string().nullable(),
  projectId: z.string().nullable(),
  stateId: z.string().nullable(),
  stateName: z.string().nullable(),
  stateType: z.string().nullable(),
  assigneeId: z.string().nullable(),
  delegateId: z.string().nullable(),
  labels: z.array(z.string()),
});

/** An agent session's payload carries only these facts about its issue. */
const linearSessionIssue = linearIssue.pick({
  id: true,
  identifier: true,
  title: true,
  description: true,
  url: true,
  teamId: true,
});

export const linearAgentSession = defineContract({
  kind: 'event',
  subject: 'hzn.ingress.linear.agent_session',
  version: 1,
  description: 'A Linear agent session was created on an issue, or a human prompted it.',
  data: z.object({
    delivery: deliverySchema,
    organizationId: z.string(),
    action: z.enum(['created', 'prompted']),
    agentSessionId: z.string(),
    issue: linearSessionIssue.nullable(),
    prompt: z.string().nullable(),
    creatorId: z.string().nullable(),
  }),
});

export const linearIssueChanged = defineContract({
  kind: 'event',
  subject: 'hzn.ingress.linear.issue',
  version: 1,
  description: 'A Linear issue was created or updated; `changes` names what moved.',
  data: z.object({
    delivery: deliverySchema,
    organizationId: z.string(),
    action: z.enum(['create', 'update']),
    issue: linearIssue,
    actorId: z.string().nullable(),
    changes: z.object({
      state: z.object({ fromId: z.string().nullable(), toId: z.string().nullable() }).optional(),
      assignee: z.object({ fromId: z.string().nullable(), toId: z.string().nullable() }).optional(),
      delegate: z.object({ fromId: z.string().nullable(), toId: z.string().nullable() }).optional(),
    }),
  }),
});

export const linearComment = defineContract({
  kind: 'event',
  subject: 'hzn.ingress.linear.comment',
  version: 1,
  description: 'A comment was created on a Linear issue.',
  data: z.object({
    delivery: deliverySchema,
    organizationId: z.string(),
    comment: z.object({
      id: z.string(),
      body: z.string(),
      issueId: z.string().nullable(),
      userId: z.string().nullable(),
    }),
  }),
});

const slackMessage = z.object({
  teamId: z.string(),
  channel: z.string(),
  user: z.string(),
  text: z.string(),
  ts: z.string(),
  /** The thread's root: `thread_ts` when the message is a reply, its own `ts` otherwise. */
  threadTs: z.string(),
});

export const slackAppMention = defineContract({
  kind: 'event',
  subject: 'hzn.ingress.slack.app_mention',
  version: 1,
  description: 'The bot was mentioned in a channel or thread.',
  data: z.object({ delivery: deliverySchema, message: slackMessage }),
});

export const slackThreadMessage = defineContract({
  kind: 'event',
  subject: 'hzn.ingress.slack.thread_message',
  version: 1,
  description: 'A human replied in a thread (not the bot, not another bot).',
  data: z.object({ delivery: deliverySchema, message: slackMessage }),
});

export const apiWorkItemCreate = defineContract({
  kind: 'event',
  subject: 'hzn.ingress.api.work_item_create',
  version: 1,
  description: 'A work item was requested through the API or CLI.',
  data: z.object({
    delivery: deliverySchema,
    workItemId: z.string().uuid(),
    repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'owner/name'),
    title: z.string().min(1).max(300),
    description: z.string().max(100_000),
    kind: workItemKindSchema,
    ownerId: z.string().nullable(),
    blockedBy: z.array(z.string().uuid()),
    autoStart: z.boolean(),
    labels: z.array(z.string()),
    priority: z.number().int().min(0).max(9),
    requestedBy: z.string(),
    /**
     * A `plan` item asked for by a console plan draft: its run proposes issues (published as
     * `hzn.evt.workitem.plan_proposed`) and creates no work items; people review them first.
     */
    proposalFor: z.object({ consolePlanDraftId: z.string().uuid() }).optional(),
  }),
});

export const apiWorkItemCancel = defineContract({
  kind: 'event',
  subject: 'hzn.ingress.api.work_item_cancel',
  version: 1,
  description: 'A work item was cancelled through the API or CLI.',
  data: z.object({
    delivery: deliverySchema,
    workItemId: z.string().uuid(),
    reason: z.string(),
    requestedBy: z.string(),
  }),
});

export const apiWorkItemFollowUp = defineContract({
  kind: 'event',
  subject: 'hzn.ingress.api.work_item_follow_up',
  version: 1,
  description:
    "A person wrote to a work item's run in flight (the console's chat box); the orchestrator passes it on as hzn.evt.workitem.follow_up.",
  data: z.object({
    delivery: deliverySchema,
    workItemId: z.string().uuid(),
    text: z.string().min(1).max(FOLLOW_UP_MAX_CHARS),
    /** Where the person wrote it: the follow-up's origin. */
    origin: z.literal('console'),
    /** The person, as the console names them. */
    author: z.string().min(1),
  }),
});

export const apiWorkItemRetry = defineContract({
  kind: 'event',
  subject: 'hzn.ingress.api.work_item_retry',
  version: 1,
  description:
    'A person asked for a failed, cancelled or timed-out work item to be tried again (the console): it is queued for a new run.',
  data: z.object({
    delivery: deliverySchema,
    workItemId: z.string().uuid(),
    requestedBy: z.string().min(1),
  }),
});

export const apiWorkItemStart = defineContract({
  kind: 'event',
  subject: 'hzn.ingress.api.work_item_start',
  version: 1,
  description:
    "A person started a planned work item (a retro's proposal, one created without auto-start, one released into planned) through the API, CLI or console: it is queued for its run. (Linear starts one by moving its issue to a started state.)",
  data: z.object({
    delivery: deliverySchema,
    workItemId: z.string().uuid(),
    requestedBy: z.string().min(1),
  }),
});

/** How a named webhook trigger's deliveries are signed (see docs/architecture.md, "Webhook triggers"). */
export const triggerFormats = ['horizon', 'sentry'] as const;
export const triggerFormatSchema = z.enum(triggerFormats);
export type TriggerFormat = z.infer<typeof triggerFormatSchema>;

export const triggerFired = defineContract({
  kind: 'event',
  subject: 'hzn.ingress.trigger.fired',
  version: 1,
  description:
    'A named webhook trigger received a signed delivery that passed its filter; the work item is its templates rendered over the payload. `workItemId` is derived from the trigger and the delivery id, so a replay names the same item.',
  data: z.object({
    delivery: deliverySchema,
    trigger: z.object({ id: z.string().uuid(), name: z.string().min(1), format: triggerFormatSchema }),
    workItemId: z.string().uuid(),
    repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'owner/name'),
    kind: workItemKindSchema,
    title: z.string().min(1).max(300),
    description: z.string().max(100_000),
    labels: z.array(z.string()),
  }),
});

export const scheduleFired = defineContract({
  kind: 'event',
  subject: 'hzn.ingress.schedule.fired',
  version: 1,
  description:
    'A schedule reached a tick: the orchestrator recorded the firing (once per schedule and tick, across replicas) and asks for its work item through the same routing as every other source. `skippedTicks` counts the earlier ticks missed while Horizon was down, which are not run.',
  data: z.object({
    /** `deliveryId` is `<scheduleId>:<tickAt>`, so a firing is one work item whatever redelivers it. */
    delivery: deliverySchema,
    scheduleId: z.string().uuid(),
    name: z.string(),
    repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'owner/name'),
    origin: scheduleOriginSchema,
    tickAt: isoDate,
    skippedTicks: z.number().int().min(0),
    workItemId: z.string().uuid(),
    title: z.string().min(1).max(300),
    prompt: z.string(),
    flavour: scheduleFlavourSchema,
    ownerId: z.string().nullable(),
  }),
});

export const ingressContracts = [
  githubPullRequest,
  githubPullRequestReview,
  githubPullRequestReviewComment,
  githubIssueComment,
  githubCheckCompleted,
  githubMergeConflict,
  githubInstallation,
  githubPing,
  linearAgentSession,
  linearIssueChanged,
  linearComment,
  slackAppMention,
  slackThreadMessage,
  slackBudgetAnswer,
  apiWorkItemCreate,
  apiWorkItemCancel,
  apiWorkItemFollowUp,
  apiWorkItemRetry,
  apiWorkItemStart,
  apiWorkItemBudgetAnswer,
  triggerFired,
  scheduleFired,
] as const;
