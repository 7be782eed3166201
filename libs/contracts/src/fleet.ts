import { z } from 'zod';
import { defineContract, defineRpc } from './contract';
import { isoDate } from './domain';

/**
 * Fleets: one intent (title, prompt, optional verification override) over many repositories,
 * fanned out as one `fleet_child` work item per repository. The orchestrator owns them
 * (docs/fleets.md).
 */
const repoName = z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'owner/name');

/** Which repositories a fleet covers: a list, or a name glob over the repositories Horizon knows. */
export const fleetSelectorSchema = z
  .strictObject({
    repos: z.array(repoName).min(1).max(5000).optional().describe('owner/name, each once'),
    glob: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('a glob over owner/name of the repositories Horizon knows, e.g. acme/svc-*'),
  })
  .refine((s) => Boolean(s.repos) !== Boolean(s.glob), { message: 'give exactly one of repos or glob' });
export type FleetSelector = z.infer<typeof fleetSelectorSchema>;

/**
 * A child's state as the fleet reports it: `pending` until fanned out, then its work item's
 * state folded into what a fleet tells apart; `not_applicable` when its agent found nothing to change.
 */
export const fleetChildStates = [
  'pending',
  'queued',
  'running',
  'in_review',
  'merged',
  'not_applicable',
  'failed',
  'cancelled',
] as const;
export const fleetChildStateSchema = z.enum(fleetChildStates);
export type FleetChildState = z.infer<typeof fleetChildStateSchema>;

export const fleetStateSchema = z.enum(['running', 'finished', 'cancelled']);
export type FleetState = z.infer<typeof fleetStateSchema>;

export const fleetProgressSchema = z.object({
  total: z.number().int().nonnegative(),
  counts: z.record(fleetChildStateSchema, z.number().int().nonnegative()),
  /** Children whose run holds capacity now (provisioning, running, verifying, revising). */
  inFlight: z.number().int().nonnegative(),
  /** The median duration of the children that ran to an end; null before the first. */
  medianChildMs: z.number().int().nonnegative().nullable(),
  /** Seconds until every child ran, from the median and the cap; null while unknown, 0 when done. */
  etaSeconds: z.number().int().nonnegative().nullable(),
});
export type FleetProgress = z.infer<typeof fleetProgressSchema>;

export const fleetViewSchema = z.object({
  id: z.string().uuid(),
  title: z.string(),
  prompt: z.string(),
  /** Commands run instead of the repositories' own `verify`; null: each repository's own. */
  verify: z.array(z.string()).nullable(),
  selector: z.object({ repos: z.array(z.string()).optional(), glob: z.string().optional() }),
  cap: z.number().int().positive(),
  priority: z.number().int().min(0).max(9),
  state: fleetStateSchema,
  ownerId: z.string().nullable(),
  createdBy: z.string(),
  createdAt: isoDate,
  progress: fleetProgressSchema,
});
export type FleetView = z.infer<typeof fleetViewSchema>;

/** One row of a fleet's aggregated results. */
export const fleetChildViewSchema = z.object({
  repo: z.string(),
  workItemId: z.string().uuid(),
  state: fleetChildStateSchema,
  /** Why it failed or does not apply. */
  reason: z.string().nullable(),
  pullRequest: z.object({ number: z.number().int(), url: z.string().nullable() }).nullable(),
  verification: z.enum(['passed', 'failed', 'none']).nullable(),
  durationMs: z.number().int().nonnegative().nullable(),
  attempts: z.number().int().nonnegative(),
  /** As the egress proxy counted them (ModelUsage). */
  inputTokens: z.number().nonnegative(),
  outputTokens: z.number().nonnegative(),
});
export type FleetChildView = z.infer<typeof fleetChildViewSchema>;

const requestedBy = z.string().min(1);
const fleetId = z.string().uuid();

export const fleetRequestSchema = z.strictObject({
  title: z.string().min(1).max(300),
  prompt: z.string().min(1).max(100_000),
  verify: z.array(z.string().min(1).max(2000)).min(1).max(20).optional(),
  selector: fleetSelectorSchema,
  cap: z.number().int().min(1).max(1000).default(10),
  priority: z.number().int().min(0).max(9).default(5),
});
export type FleetRequest = z.infer<typeof fleetRequestSchema>;

export const orchestratorCreateFleet = defineRpc({
  subject: 'hzn.rpc.orchestrator.create_fleet',
  version: 1,
  description:
    'Create a fleet and fan it out, one child work item per repository, at most `cap` running at once. Refused with invalid_fleet (a glob that matches no repository Horizon knows, or a repository listed twice).',
  data: z.object({ fleet: fleetRequestSchema, ownerId: z.string().uuid().nullable(), requestedBy }),
  reply: fleetViewSchema,
});

export const orchestratorListFleets = defineRpc({
  subject: 'hzn.rpc.orchestrator.list_fleets',
  version: 1,
  description: 'Fleets, newest first (at most 100), each with its progress.',
  data: z.object({}),
  reply: z.object({ fleets: z.array(fleetViewSchema) }),
});

export const orchestratorGetFleet = defineRpc({
  subject: 'hzn.rpc.orchestrator.get_fleet',
  version: 1,
  description: 'A fleet with its progress and the aggregated table of its children. Refused with not_found.',
  data: z.object({ fleetId }),
  reply: z.object({ fleet: fleetViewSchema, children: z.array(fleetChildViewSchema) }),
});

export const orchestratorCancelFleet = defineRpc({
  subject: 'hzn.rpc.orchestrator.cancel_fleet',
  version: 1,
  description:
    'Cancel a fleet: children not fanned out yet never are, every child not ended is cancelled (runs in flight stopped). Refused with not_found.',
  data: z.object({ fleetId, requestedBy }),
  reply: fleetViewSchema,
});

export const orchestratorRetryFleet = defineRpc({
  subject: 'hzn.rpc.orchestrator.retry_fleet',
  version: 1,
  description:
    'Queue every failed, timed-out or cancelled child again, together, under the fleet cap. Refused with not_found, or nothing_to_retry.',
  data: z.object({ fleetId, requestedBy }),
  reply: z.object({ fleet: fleetViewSchema, retried: z.array(z.string()) }),
});

export const fleetCreated = defineContract({
  kind: 'event',
  subject: 'hzn.evt.fleet.created',
  version: 1,
  description: 'A fleet was created over its repositories; its children are fanned out next.',
  data: z.object({ fleetId, title: z.string(), repos: z.array(z.string()), cap: z.number().int() }),
});

export const fleetProgressed = defineContract({
  kind: 'event',
  subject: 'hzn.evt.fleet.progressed',
  version: 1,
  description:
    "A fleet's children changed: counts by state, runs in flight and the ETA, as of the transaction that changed them.",
  data: z.object({ fleetId, state: fleetStateSchema, progress: fleetProgressSchema }),
});

export const fleetFinished = defineContract({
  kind: 'event',
  subject: 'hzn.evt.fleet.finished',
  version: 1,
  description:
    'Every child of a fleet ended its run (in review, merged, not applicable, failed or cancelled).',
  data: z.object({ fleetId, progress: fleetProgressSchema }),
});

export const FLEET_SECTION_START = '<!-- horizon:fleet -->';
export const FLEET_SECTION_END = '<!-- /horizon:fleet -->';

/** `body` with its fleet section replaced by `section` (appended when it has none). */
export function withFleetSection(body: string, section: string): string {
  const start = body.indexOf(FLEET_SECTION_START);
  const end = body.indexOf(FLEET_SECTION_END);
  if (start === -1 || end < start) return `${body.trimEnd()}\n\n${section}\n`;
  return body.slice(0, start) + section + body.slice(end + FLEET_SECTION_END.length);
}

export const forgeUpdateFleetLinks = defineContract({
  kind: 'command',
  subject: 'hzn.cmd.forge.update_fleet_links',
  version: 1,
  description:
    "Replace the fleet section of a fleet child's pull request body (its fleet and its siblings' pull requests), keeping the rest of the body.",
  data: z.object({
    workItemId: z.string().uuid(),
    /** The child's latest run: GitHub tokens are minted per run. */
    runId: z.string().uuid(),
    repo: repoName,
    forge: z.enum(['github', 'local']),
    number: z.number().int().positive(),
    /** Markdown between FLEET_SECTION_START and FLEET_SECTION_END. */
    section: z.string().min(1),
  }),
});

/** The aggregated results as CSV (RFC 4180: fields with a comma, quote or newline are quoted). */
export function fleetResultsCsv(children: readonly FleetChildView[]): string {
  const header = [
    'repo',
    'state',
    'pull_request',
    'verification',
    'duration_ms',
    'input_tokens',
    'output_tokens',
    'attempts',
    'reason',
  ];
  const cell = (v: unknown) => {
    const text = v === null || v === undefined ? '' : String(v);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const rows = children.map((c) =>
    [
      c.repo,
      c.state,
      c.pullRequest?.url ?? c.pullRequest?.number,
      c.verification,
      c.durationMs,
      c.inputTokens,
      c.outputTokens,
      c.attempts,
      c.reason,
    ]
      .map(cell)
      .join(','),
  );
  return [header.join(','), ...rows].join('\r\n') + '\r\n';
}

export const fleetContracts = [
  forgeUpdateFleetLinks,
  orchestratorCreateFleet,
  orchestratorListFleets,
  orchestratorGetFleet,
  orchestratorCancelFleet,
  orchestratorRetryFleet,
  fleetCreated,
  fleetProgressed,
  fleetFinished,
] as const;
