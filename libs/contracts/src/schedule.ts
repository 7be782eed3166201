import { z } from 'zod';
import { defineRpc } from './contract';
import { isoDate } from './domain';

/**
 * The kinds of work a schedule may start: a plan, an implementation run, or a retro over the
 * papercuts of the 7 days before the tick (its prompt adds to the retro's task).
 */
export const scheduleFlavourSchema = z.enum(['plan', 'implement', 'retro']);
export type ScheduleFlavour = z.infer<typeof scheduleFlavourSchema>;

/**
 * One schedule as a repository's `.horizon/config.yaml` declares it under `schedules:`, and as
 * the API takes it. The cron expression and time zone are checked by the orchestrator (croner,
 * IANA names), which owns schedules; here only their shape.
 */
export const scheduleDeclarationSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes, at most 63')
    .describe('unique in its repository, e.g. nightly-deps'),
  cron: z
    .string()
    .min(1)
    .max(200)
    .describe('5 fields (minute hour day month weekday) or 6 with seconds first, e.g. "0 3 * * 1-5"'),
  timezone: z.string().min(1).default('UTC').describe('an IANA time zone, e.g. Europe/Paris'),
  title: z.string().min(1).max(300).describe("the work item's title"),
  prompt: z.string().min(1).max(100_000).describe('what the agent is asked to do'),
  flavour: scheduleFlavourSchema.default('implement'),
});
export type ScheduleDeclaration = z.infer<typeof scheduleDeclarationSchema>;

/**
 * A repository's `retro:` in `.horizon/config.yaml`. Every repository gets a weekly retro
 * (`RETRO_DEFAULT_CRON`, orchestrator) so its papercuts are read without anyone asking;
 * `weekly: false` declines it. A schedule of its own of flavour `retro` replaces it anyway.
 */
export const repoRetroSettingsSchema = z.strictObject({
  weekly: z.boolean().default(true),
});
export type RepoRetroSettings = z.infer<typeof repoRetroSettingsSchema>;
export const defaultRetroSettings: RepoRetroSettings = { weekly: true };

/** Where a schedule was declared: the repository's config (synced from it) or the API/CLI. */
export const scheduleOriginSchema = z.enum(['config', 'api']);

export const scheduleFiringViewSchema = z.object({
  tickAt: isoDate,
  firedAt: isoDate,
  /** Ticks that passed unfired before this one (Horizon was down): they are not run. */
  skippedTicks: z.number().int(),
  workItemId: z.string().uuid(),
});

export const scheduleViewSchema = z.object({
  id: z.string().uuid(),
  repo: z.string(),
  name: z.string(),
  cron: z.string(),
  timezone: z.string(),
  title: z.string(),
  prompt: z.string(),
  flavour: scheduleFlavourSchema,
  ownerId: z.string().nullable(),
  origin: scheduleOriginSchema,
  paused: z.boolean(),
  /** The next tick it fires at; null while paused. */
  nextTickAt: isoDate.nullable(),
  lastFiring: scheduleFiringViewSchema.nullable(),
  createdBy: z.string(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type ScheduleView = z.infer<typeof scheduleViewSchema>;

const repoName = z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'owner/name');
/** Who asked, as the orchestrator's records show it, e.g. `api-token:<id>`. */
const requestedBy = z.string().min(1);

/** Request/reply on `hzn.rpc.orchestrator.*`: schedules are the orchestrator's. */
export const orchestratorCreateSchedule = defineRpc({
  subject: 'hzn.rpc.orchestrator.create_schedule',
  version: 1,
  description:
    'Create a schedule in a repository. Refused with invalid_schedule (an unreadable cron expression or unknown time zone; the message says which) or schedule_exists (the name is taken in that repository).',
  data: z.object({
    repo: repoName,
    schedule: scheduleDeclarationSchema,
    ownerId: z.string().nullable(),
    requestedBy,
  }),
  reply: scheduleViewSchema,
});

export const orchestratorListSchedules = defineRpc({
  subject: 'hzn.rpc.orchestrator.list_schedules',
  version: 1,
  description: 'Schedules by repository and name, each with its next tick and its last firing.',
  data: z.object({ repo: repoName.optional() }),
  reply: z.object({ schedules: z.array(scheduleViewSchema) }),
});

export const orchestratorSetSchedulePaused = defineRpc({
  subject: 'hzn.rpc.orchestrator.set_schedule_paused',
  version: 1,
  description:
    'Pause a schedule, or resume it from the next tick after now (ticks that passed while paused are not fired). Refused with not_found.',
  data: z.object({ scheduleId: z.string().uuid(), paused: z.boolean(), requestedBy }),
  reply: scheduleViewSchema,
});

export const orchestratorDeleteSchedule = defineRpc({
  subject: 'hzn.rpc.orchestrator.delete_schedule',
  version: 1,
  description:
    "Delete a schedule (its firings stay recorded). Refused with not_found, or config_owned for a schedule the repository's config declares (remove it there).",
  data: z.object({ scheduleId: z.string().uuid(), requestedBy }),
  reply: z.object({ id: z.string().uuid(), deleted: z.literal(true) }),
});

export const scheduleContracts = [
  orchestratorCreateSchedule,
  orchestratorListSchedules,
  orchestratorSetSchedulePaused,
  orchestratorDeleteSchedule,
] as const;
