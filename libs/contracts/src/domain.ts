import { z } from 'zod';

/** Shared vocabulary: the enums every service agrees on (DESIGN §5). */
export const workItemKinds = ['plan', 'implement', 'revise', 'retro', 'fleet_child', 'review'] as const;
export const workItemKindSchema = z.enum(workItemKinds);
export type WorkItemKind = z.infer<typeof workItemKindSchema>;

export const workItemStates = [
  'received',
  'planned',
  'queued',
  'provisioning',
  'running',
  'verifying',
  'in_review',
  'revising',
  'merged',
  'done',
  'blocked',
  'failed',
  'cancelled',
  'timed_out',
  'waiting',
] as const;
export const workItemStateSchema = z.enum(workItemStates);
export type WorkItemState = z.infer<typeof workItemStateSchema>;

/** `not_applicable`: the agent found nothing to change and said why (no commit, no pull request). */
export const runOutcomes = [
  'succeeded',
  'failed',
  'cancelled',
  'timed_out',
  'infra_error',
  'not_applicable',
] as const;
export const runOutcomeSchema = z.enum(runOutcomes);
export type RunOutcome = z.infer<typeof runOutcomeSchema>;

/** `review`: a read-only checkout of a pull request's head; nothing is pushed. */
export const sandboxFlavours = ['plan', 'implement', 'verify', 'review'] as const;
export const sandboxFlavourSchema = z.enum(sandboxFlavours);
export type SandboxFlavour = z.infer<typeof sandboxFlavourSchema>;

export const providers = ['github', 'linear', 'slack', 'local', 'oidc'] as const;
export const providerSchema = z.enum(providers);
export type Provider = z.infer<typeof providerSchema>;

/** Where a human's follow-up to work in flight was written (so an answer can go back there). */
export const followUpOrigins = ['slack', 'linear', 'github', 'console'] as const;
export const followUpOriginSchema = z.enum(followUpOrigins);
export type FollowUpOrigin = z.infer<typeof followUpOriginSchema>;

export const isoDate = z.string().datetime({ offset: true });

/** A repository as Horizon addresses it: `owner/name` on a forge. */
export const repoRefSchema = z.object({
  forge: z.enum(['github', 'local']),
  owner: z.string().min(1),
  name: z.string().min(1),
});
export type RepoRef = z.infer<typeof repoRefSchema>;

/** Where a work item came from, so updates can be reported back there. */
export const sourceRefsSchema = z.object({
  trackerIssue: z
    .object({
      provider: z.enum(['linear', 'local']),
      id: z.string(),
      identifier: z.string().optional(),
      url: z.string().optional(),
      /** The tracker team the issue belongs to: where issues planned from it are created. */
      teamId: z.string().optional(),
    })
    .optional(),
  pullRequest: z
    .object({
      provider: z.enum(['github', 'local']),
      repo: repoRefSchema,
      number: z.number().int(),
      url: z.string().optional(),
      branch: z.string(),
    })
    .optional(),
  slackThread: z.object({ teamId: z.string(), channel: z.string(), threadTs: z.string() }).optional(),
  linearAgentSession: z.object({ id: z.string() }).optional(),
  /** A plan asked for by a console plan draft: its proposal goes back to the draft for review. */
  consolePlanDraft: z.object({ id: z.string().uuid() }).optional(),
  /** A named webhook trigger's delivery that started the item. */
  webhookTrigger: z.object({ id: z.string(), name: z.string(), deliveryId: z.string() }).optional(),
  /**
   * A `review` item's pull request (kept apart from `pullRequest`, which names the PR an item
   * opened): the head it reads and, on Horizon's own PR, the work item that opened it.
   */
  review: z
    .object({
      forge: z.enum(['github', 'local']),
      repo: z.string(),
      number: z.number().int(),
      url: z.string(),
      author: z.string(),
      headRef: z.string(),
      headSha: z.string(),
      baseRef: z.string(),
      horizonWorkItemId: z.string().uuid().nullable(),
    })
    .optional(),
  /** The schedule whose tick started the item. */
  schedule: z.object({ id: z.string().uuid(), name: z.string(), tickAt: isoDate }).optional(),
  /**
   * The fleet a `fleet_child` item belongs to: its cap (the scheduler runs at most that many of
   * its children at once) and its verification override, fixed when the fleet was created.
   */
  fleet: z
    .object({
      id: z.string().uuid(),
      title: z.string(),
      cap: z.number().int().positive(),
      verify: z.array(z.string()).nullable(),
    })
    .optional(),
  /**
   * A fix a retro proposed: the retro item and the friction signatures it fixes. Cancelled while
   * still planned, it is a rejection: later retros leave those signatures alone.
   */
  retroProposal: z.object({ retroId: z.string().uuid(), friction: z.array(z.string()) }).optional(),
});
export type SourceRefs = z.infer<typeof sourceRefsSchema>;
