import { z } from 'zod';
import { defineContract } from './contract';
import { frictionEventSchema } from './friction';
import {
  followUpOriginSchema,
  isoDate,
  runOutcomeSchema,
  sandboxFlavourSchema,
  sourceRefsSchema,
  workItemKindSchema,
  workItemStateSchema,
} from './domain';
import { agentReviewSchema } from './review';
import { browserCheckResultSchema } from './run';
import { plannedIssueSchema } from './plan';

/** Facts the orchestrator publishes about work items and runs (`hzn.evt.workitem.*`, `hzn.evt.run.*`). */
export const workItemCreated = defineContract({
  kind: 'event',
  subject: 'hzn.evt.workitem.created',
  version: 1,
  description: 'A work item was recorded.',
  data: z.object({
    workItemId: z.string().uuid(),
    kind: workItemKindSchema,
    state: workItemStateSchema,
    repo: z.string(),
    title: z.string(),
    ownerId: z.string().nullable(),
    sourceRefs: sourceRefsSchema,
  }),
});

export const workItemStateChanged = defineContract({
  kind: 'event',
  subject: 'hzn.evt.workitem.state_changed',
  version: 1,
  description: 'A work item moved from one state to another, with the cause.',
  data: z.object({
    workItemId: z.string().uuid(),
    from: workItemStateSchema,
    to: workItemStateSchema,
    cause: z.string(),
    runId: z.string().uuid().nullable(),
    sourceRefs: sourceRefsSchema,
  }),
});

const usage = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
});

export const runStarted = defineContract({
  kind: 'event',
  subject: 'hzn.evt.run.started',
  version: 1,
  description: 'A run was queued for a work item and its sandbox requested.',
  data: z.object({
    runId: z.string().uuid(),
    workItemId: z.string().uuid(),
    attempt: z.number().int().positive(),
    flavour: sandboxFlavourSchema,
    harness: z.string(),
    model: z.string(),
    deadlineAt: isoDate,
  }),
});

export const runProgress = defineContract({
  kind: 'event',
  subject: 'hzn.evt.run.progress',
  version: 1,
  description: 'A step of a run: a harness event (normalized), a verification step, a push.',
  data: z.object({
    runId: z.string().uuid(),
    workItemId: z.string().uuid(),
    seq: z.number().int().nonnegative(),
    phase: z.enum(['provisioning', 'harness', 'verification', 'commit', 'push']),
    kind: z.string(),
    summary: z.string(),
    detail: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const runFinished = defineContract({
  kind: 'event',
  subject: 'hzn.evt.run.finished',
  version: 1,
  description: 'A run ended, with its outcome, usage and verification results.',
  data: z.object({
    runId: z.string().uuid(),
    workItemId: z.string().uuid(),
    outcome: runOutcomeSchema,
    reason: z.string().nullable(),
    usage: usage.nullable(),
    durationMs: z.number().int().nonnegative(),
    branch: z.string().nullable(),
    commitSha: z.string().nullable(),
    verification: z.array(
      z.object({ command: z.string(), exitCode: z.number().int(), durationMs: z.number().int() }),
    ),
    /** One line per friction event, for readers that show text. */
    frictionNotes: z.array(z.string()),
    /** The papercuts the run met, with transcript evidence. Absent from older publishers. */
    friction: z.array(frictionEventSchema).optional(),
    /** The agent's tool calls over the run. Absent from older publishers and runs that never started. */
    toolCalls: z.number().int().nonnegative().optional(),
    /** The agent's last words: a plan run's plan, a commit's body. Absent from older publishers. */
    summary: z.string().nullable().optional(),
    /** A `review` run's structured review (verdict, summary, inline comments). */
    review: agentReviewSchema.optional(),
    /** The browser checks of the run's preview, base and change. Absent without a preview and from older publishers. */
    browser: z.array(browserCheckResultSchema).optional(),
    /** The run's deadline, when its run tokens expire: how long mcp-context must remember the revocation. Absent from older publishers. */
    deadlineAt: isoDate.optional(),
  }),
});

export const workItemFollowUp = defineContract({
  kind: 'event',
  subject: 'hzn.evt.workitem.follow_up',
  version: 1,
  description:
    'A human added to work in flight (a Slack thread reply, a Linear session prompt, a review during a revise run, a message in the console); the runner side passes it to the agent.',
  data: z.object({
    workItemId: z.string().uuid(),
    runId: z.string().uuid().nullable(),
    text: z.string(),
    /** Where it was written, so an answer can go back there. */
    origin: followUpOriginSchema,
    author: z.string().nullable(),
  }),
});

export const workItemPlanProposed = defineContract({
  kind: 'event',
  subject: 'hzn.evt.workitem.plan_proposed',
  version: 1,
  description:
    'A plan run asked for by a console plan draft proposed these issues; no work item was created for them. The console puts them in the draft for people to review.',
  data: z.object({
    /** The plan item whose run proposed them (done once this is published). */
    workItemId: z.string().uuid(),
    runId: z.string().uuid(),
    repo: z.string(),
    consolePlanDraftId: z.string().uuid(),
    /** As the agent proposed them: keys, and `blockedBy` naming other issues' keys; no cycles. */
    issues: z.array(plannedIssueSchema).min(1).max(25),
  }),
});

export const lifecycleContracts = [
  workItemCreated,
  workItemStateChanged,
  workItemFollowUp,
  workItemPlanProposed,
  runStarted,
  runProgress,
  runFinished,
] as const;
