import { z } from 'zod';
import { defineRpc } from './contract';
import { isoDate } from './domain';

/**
 * The papercuts a run meets on its way, whatever its outcome: what the retro loop clusters
 * across runs and turns into platform fixes.
 */
export const frictionKinds = [
  /** A shell command exited non-zero and the run never saw it pass. */
  'command_failed',
  /** A shell command failed, then passed when run again: flaky, or fixed by hand. */
  'command_retried',
  /** A program the agent called is not installed (exit 127, "command not found"). */
  'missing_tool',
  /** A package script the agent called is not declared (`npm run lint` with no `lint`). */
  'missing_script',
  /** A verification command failed and cost a fix round. */
  'verification_round',
  /** The same tool called with the same input again and again. */
  'repeated_tool_call',
  /** Many tool calls of reading and searching before the first edit. */
  'slow_first_edit',
  /** A mcp-context tool answered with an error. */
  'mcp_tool_error',
  /** The same sequence of mcp-context calls made more than once: a combined tool would do. */
  'mcp_chain',
  /** A tool other than a shell or mcp-context tool failed. */
  'tool_error',
  /** The coding agent itself reported an error. */
  'harness_error',
  /** A git step of the runner failed. */
  'git_failed',
  /** Messages from humans that reached the run after the agent's last turn. */
  'follow_up_unhandled',
  /** Something the run's setup lacked (an owner with no email for the Co-authored-by trailer). */
  'setup_gap',
  /** The run's sandbox was slow to get ready: a snapshot build it waited for, or its boot and checkout. */
  'slow_setup',
] as const;
export const frictionKindSchema = z.enum(frictionKinds);
export type FrictionKind = z.infer<typeof frictionKindSchema>;

export const frictionEventSchema = z
  .object({
    kind: frictionKindSchema,
    /**
     * The same papercut in any run gives the same signature (`missing_script:lint`,
     * `command_failed:npm test`), so retros count it across runs.
     */
    signature: z.string().min(1).max(300),
    /** One line a person reads. */
    summary: z.string().min(1).max(500),
    /** How many times it happened in the run. */
    count: z.number().int().positive(),
    /** The transcript entries (their `seq`) that show it, first ones first. */
    evidence: z.array(z.number().int().nonnegative()).max(20),
  })
  .strict();
export type FrictionEvent = z.infer<typeof frictionEventSchema>;

/** A friction event as one line of text: PR summaries, search, older readers. */
export function frictionNote(event: FrictionEvent): string {
  return event.count > 1 ? `${event.summary} (×${event.count})` : event.summary;
}

/** One papercut across runs: every run that met the same signature. */
export const frictionGroupSchema = z.object({
  kind: frictionKindSchema,
  signature: z.string(),
  /** The latest run's summary of it. */
  summary: z.string(),
  repo: z.string(),
  /** Distinct runs that met it. */
  runs: z.number().int().positive(),
  /** Times it happened, over all those runs. */
  occurrences: z.number().int().positive(),
  firstSeenAt: isoDate,
  lastSeenAt: isoDate,
  /** The latest runs that met it, with where in their transcripts. */
  examples: z.array(
    z.object({
      runId: z.string().uuid(),
      workItemId: z.string().uuid(),
      title: z.string(),
      evidence: z.array(z.number().int().nonnegative()),
      at: isoDate,
    }),
  ),
});
export type FrictionGroup = z.infer<typeof frictionGroupSchema>;

export const orchestratorFrictionSummary = defineRpc({
  subject: 'hzn.rpc.orchestrator.friction_summary',
  version: 1,
  description:
    "The papercuts runs met since a time, one group per repository and signature, most runs first: what a retro reads, with each group's latest runs and transcript entries as evidence.",
  data: z.object({
    since: isoDate,
    /** The caller's scope; absent: every repository. */
    repos: z.array(z.string()).optional(),
    kind: frictionKindSchema.optional(),
    /** Only groups met by at least this many runs; absent: 1, every papercut. */
    minRuns: z.number().int().positive().optional(),
    /** Absent: 50. */
    limit: z.number().int().positive().max(200).optional(),
  }),
  reply: z.object({ groups: z.array(frictionGroupSchema) }),
});

export const orchestratorCreateRetro = defineRpc({
  subject: 'hzn.rpc.orchestrator.create_retro',
  version: 1,
  description:
    'Start a retro on a repository: a `retro` work item whose run reads the papercuts its runs met since a time and proposes fixes as planned work items, each naming the friction it fixes. Papercuts whose proposals people cancelled before are left out. The same `retroId` again answers the retro it made. Refused with nothing_to_fix when no run met a papercut (or only rejected ones) since then.',
  data: z.object({
    /** Chosen by the caller: asking again with it answers the same retro. */
    retroId: z.string().uuid(),
    repo: z.string().min(1),
    since: isoDate,
    ownerId: z.string().uuid().nullable(),
    requestedBy: z.string().min(1),
  }),
  reply: z.object({
    workItemId: z.string().uuid(),
    /** The papercuts the retro was given, most runs first. */
    papercuts: z.number().int().nonnegative(),
    /** Signatures left out: their proposals were rejected before. */
    rejected: z.array(z.string()),
  }),
});

export const frictionContracts = [orchestratorFrictionSummary, orchestratorCreateRetro] as const;
