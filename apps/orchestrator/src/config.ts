import { z } from 'zod';
import { baseConfig, budgetConfig, durationMs, listenHost, port, positiveInt } from '@horizon/config';
import { harnessNames, harnessNameSchema } from '@horizon/contracts';
import { CronTicks, InvalidScheduleError } from './domain/schedule-ticks';

const repoName = /^[^/\s]+\/[^/\s]+$/;

/** Whether croner can schedule the expression (in UTC), as a schedule's cron is checked. */
const cronFires = (cron: string) => {
  try {
    new CronTicks(cron, 'UTC');
    return true;
  } catch (err) {
    if (err instanceof InvalidScheduleError) return false;
    throw err;
  }
};

/** A JSON object from keys to `owner/name`, e.g. `{"C05BILLING":"acme/billing"}`. */
const repoMap = (what: string) =>
  z
    .string()
    .default('{}')
    .transform((raw, ctx) => {
      try {
        const parsed = z.record(z.string(), z.string().regex(repoName)).parse(JSON.parse(raw));
        return parsed as Readonly<Record<string, string>>;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'invalid' });
        return z.NEVER;
      }
    })
    .describe(`a JSON object from ${what} to "owner/name"`);

const optionalRepo = z.string().regex(repoName).optional().describe('a repository as "owner/name"');

/** Everything orchestrator reads from the environment, parsed once at start. */
export const configShape = {
  ...baseConfig,
  ORCHESTRATOR_PORT: port(9101),
  ORCHESTRATOR_HOST: listenHost,

  RUN_DEADLINE_MS: durationMs(45 * 60_000),
  /** The harness of runs whose item and repository name none (`harness:<name>` label, `.horizon/config.yaml` `agent.harness`). */
  RUN_HARNESS: harnessNameSchema.default('opencode').describe(harnessNames.join(' | ')),
  RUN_MODEL: z.string().min(1).default('default').describe('a model name'),
  RUN_BASE_REF: z.string().min(1).default('main').describe('a git ref'),
  RUN_MEMORY_MIB: positiveInt(4096),
  RUN_CPU_MILLIS: positiveInt(2000),
  RUN_MAX_PROCESSES: positiveInt(512),

  ...budgetConfig,

  MAX_CONCURRENT_RUNS: positiveInt(8),
  MAX_CONCURRENT_RUNS_PER_REPO: positiveInt(4),
  MAX_CONCURRENT_RUNS_PER_OWNER: positiveInt(2),
  SCHEDULER_INTERVAL_MS: durationMs(2_000),
  /** How often each replica looks for schedules whose tick has come; below a schedule's period to fire every tick. */
  SCHEDULE_POLL_INTERVAL_MS: durationMs(1_000),
  /**
   * When the weekly retro every repository gets ticks, in UTC (a scheduled retro reads the week
   * before its tick). `off` (null once parsed): no default retro; repositories still declare
   * their own. Not "empty": an empty variable is an unset one, which keeps the default.
   */
  RETRO_DEFAULT_CRON: z
    .string()
    .trim()
    .refine((cron) => cron === 'off' || cronFires(cron))
    .transform((cron) => (cron === 'off' ? null : cron))
    .default('0 9 * * 1')
    .describe('a cron expression in UTC, e.g. "0 9 * * 1" (Mondays 09:00), or off: no default retro'),

  /** Fix runs a failing check may start on one pull request; the next failure is reported instead. */
  CI_FIX_ROUNDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(10)
    .default(2)
    .describe('fix runs per pull request, 0 to 10 (0: CI failures are only reported)'),
  RETRY_MAX_ATTEMPTS: positiveInt(3),
  RETRY_BASE_DELAY_MS: durationMs(30_000),

  WATCHDOG_INTERVAL_MS: durationMs(15_000),
  WATCHDOG_PROVISIONING_TIMEOUT_MS: durationMs(5 * 60_000),
  WATCHDOG_DEADLINE_GRACE_MS: durationMs(2 * 60_000),

  GITHUB_BOT_LOGIN: z.string().min(1).default('horizon[bot]').describe('the GitHub App bot login'),
  GITHUB_MENTION_HANDLE: z.string().min(1).default('@horizon').describe('a mention such as @horizon'),
  HORIZON_BRANCH_PREFIX: z.string().min(1).default('horizon/').describe('a git branch prefix'),
  LINEAR_APP_USER_ID: z.string().default('').describe("the Linear app user's id"),
  SLACK_BOT_USER_ID: z.string().default('').describe("the Slack bot's user id"),
  SLACK_CHANNEL_REPOS: repoMap('Slack channel ids'),
  LINEAR_TEAM_REPOS: repoMap('Linear team ids'),
  DEFAULT_REPO: optionalRepo,
  /** Where runs' pull requests are opened: GitHub, or the local forge (`apps/forge`), the embedded default. */
  FORGE_KIND: z
    .enum(['github', 'local'])
    .default('local')
    .describe("github or local: the forge runs' pull requests are opened on"),
};

export type OrchestratorConfig = z.infer<z.ZodObject<typeof configShape>>;
