import { z } from 'zod';
import { followUpOriginSchema, isoDate, runOutcomeSchema } from './domain';
import { frictionEventSchema } from './friction';
import { agentReviewSchema } from './review';

/**
 * What crosses the sandbox wall between sandbox-manager and the agent-runner inside: JSON
 * lines on the runner's stdin (first the run spec, then `follow_up`s while the run goes on)
 * and JSON lines on its stdout (`event`s as they happen, then one `report`). Not bus
 * messages: sandbox-manager turns the events into `hzn.evt.run.progress` and the report into
 * `hzn.evt.run.finished`.
 */

/** `rebase`: merge the base into the pushed branch, the agent resolving what conflicts. */
export const agentRunKinds = ['implement', 'revise', 'plan', 'review', 'rebase'] as const;
export const agentRunKindSchema = z.enum(agentRunKinds);
export type AgentRunKind = z.infer<typeof agentRunKindSchema>;

/**
 * Which model provider runs are configured for (`SANDBOX_MODEL_PROVIDER`): `openai` and
 * `openai-compatible` speak OpenAI's chat completions with a Bearer key, `anthropic` the
 * Messages API with an `x-api-key`.
 */
export const modelProviders = ['openai-compatible', 'openai', 'anthropic'] as const;
export const modelProviderSchema = z.enum(modelProviders);
export type ModelProvider = z.infer<typeof modelProviderSchema>;

/**
 * The coding-agent CLIs a run can use (the agent-runner's `Harness` port): OpenCode speaks any
 * provider's wire, Codex only OpenAI's Responses API, Claude Code only Anthropic's Messages API.
 */
export const harnessNames = ['opencode', 'codex', 'claude-code'] as const;
export const harnessNameSchema = z.enum(harnessNames);
export type HarnessName = z.infer<typeof harnessNameSchema>;

/** Why `harness` cannot run against `provider`, or null when it can. */
export function harnessMismatch(harness: HarnessName, provider: ModelProvider): string | null {
  if (harness === 'codex' && provider === 'anthropic')
    return "the codex harness speaks OpenAI's Responses API and the model provider is anthropic (SANDBOX_MODEL_PROVIDER); choose opencode for this repository or item, or an OpenAI provider";
  if (harness === 'claude-code' && provider !== 'anthropic')
    return `the claude-code harness speaks Anthropic's Messages API and the model provider is ${provider} (SANDBOX_MODEL_PROVIDER); choose opencode for this repository or item, or the anthropic provider`;
  return null;
}

/**
 * The label that picks an item's harness, e.g. `harness:codex`: however a source says which
 * harness to use (a label, the work API's `harness`, the console, a phrase in Slack or Linear),
 * it is recorded on the item as this label, so one place decides (the orchestrator's `chooseHarness`).
 */
const HARNESS_LABEL_PREFIX = 'harness:';

export function harnessLabel(harness: HarnessName): string {
  return `${HARNESS_LABEL_PREFIX}${harness}`;
}

/**
 * The harness a label picks, or null. Read case-insensitively (Linear labels are often written
 * `Harness: Codex`); a label naming no harness Horizon has is no choice, so a typo never fails the work.
 */
export function harnessOfLabel(label: string): HarnessName | null {
  if (!label.toLowerCase().startsWith(HARNESS_LABEL_PREFIX)) return null;
  const named = harnessNameSchema.safeParse(label.slice(HARNESS_LABEL_PREFIX.length).trim().toLowerCase());
  return named.success ? named.data : null;
}

/** `labels` with `harness` as their only harness label: an explicit choice replaces the labels'. */
export function withHarnessLabel(labels: readonly string[], harness: HarnessName): string[] {
  return [harnessLabel(harness), ...labels.filter((l) => !l.toLowerCase().startsWith(HARNESS_LABEL_PREFIX))];
}

/** The flavours whose runs a harness drives (a verify sandbox runs no agent). */
export const harnessFlavours = ['plan', 'implement', 'review'] as const;
export type HarnessFlavour = (typeof harnessFlavours)[number];

/** `agent.harness` as a map: one harness per flavour, `default` for the flavours it leaves out. */
const harnessByFlavourSchema = z.strictObject({
  default: harnessNameSchema.optional(),
  plan: harnessNameSchema.optional(),
  implement: harnessNameSchema.optional(),
  review: harnessNameSchema.optional(),
});
export type HarnessByFlavour = z.infer<typeof harnessByFlavourSchema>;

/** The `.horizon/config.yaml` `agent:` section: how this repository's runs are made. */
export const repoAgentSettingsSchema = z
  .object({
    /**
     * The harness its runs use unless an item's `harness:<name>` label says otherwise: one name
     * for every flavour, or a map by flavour (`{ implement: codex, review: claude-code }`).
     */
    harness: z
      .union([harnessNameSchema, harnessByFlavourSchema], {
        error: `expected one of ${harnessNames.map((h) => `"${h}"`).join('|')}, or a map from default, ${harnessFlavours.join(', ')} to one`,
      })
      .optional(),
  })
  .strict();
export type RepoAgentSettings = z.infer<typeof repoAgentSettingsSchema>;

/**
 * How a repository runs its app for browser verification (`.horizon/config.yaml` `preview`): a
 * shell command started in the repository root inside the run's sandbox, answering HTTP on
 * `127.0.0.1:<port>` once `readyPath` answers 2xx or 3xx.
 */
export const previewSettingsSchema = z
  .object({
    /** A shell command run in the repository root that keeps serving, e.g. `npm run dev`. */
    command: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    /** Polled until it answers: the app is ready when this path does. */
    readyPath: z.string().startsWith('/', 'a path starting with /').default('/'),
    /** How long the command may take to answer on readyPath before verification gives up. */
    readyTimeoutSeconds: z.number().int().min(1).max(600).default(60),
  })
  .strict();
export type PreviewSettings = z.infer<typeof previewSettingsSchema>;

const person = z.object({ name: z.string().min(1), email: z.string().min(3) });
export type CommitPerson = z.infer<typeof person>;

export const agentRunSpecSchema = z.object({
  runId: z.string().uuid(),
  workItemId: z.string().uuid(),
  /**
   * `implement`: commit and push; `revise`: the same on the existing branch, the prompt is the
   * review; `plan`: no push; `review`: read the pull request at `branch` against `baseRef`, no push.
   */
  kind: agentRunKindSchema,
  /** The coding-agent CLI the run uses. */
  harness: harnessNameSchema.default('opencode'),
  /** The task, or for `revise` the review text asking for changes. */
  prompt: z.string().min(1),
  /** Where the work came from and what it refers to (issue, PR, Slack thread), shown to the agent. */
  contextLinks: z.array(z.object({ title: z.string(), url: z.string() })).default([]),
  /** `owner/name`. */
  repo: z.string().min(3),
  /** The run's branch: the only ref a push may update. */
  branch: z.string().min(1),
  baseRef: z.string().min(1),
  /** `.horizon/config.yaml`'s `verify` commands, run in order in the repository root. */
  verify: z.array(z.string().min(1)).default([]),
  /**
   * `.horizon/config.yaml`'s `preview`: how to run the app, for browser verification of an
   * `implement` or `revise` run (docs/browser-verification.md); null: no browser verification.
   */
  preview: previewSettingsSchema.nullable().default(null),
  /** Harness turns given to fix failing verification before the run fails. */
  fixRounds: z.number().int().min(0).max(10).default(2),
  /** Author and committer of the agent's commit. */
  agent: person,
  /** The human who owns the work: a `Co-authored-by` trailer; null when nobody does. */
  owner: person.nullable(),
  model: z.object({
    /** The wire the harness speaks to `baseUrl`: Anthropic's Messages API or OpenAI's chat completions. */
    provider: modelProviderSchema.default('openai-compatible'),
    /** The provider's API base inside the sandbox: the egress proxy's model route, which adds the key. */
    baseUrl: z.string().url(),
    model: z.string().min(1),
    smallModel: z.string().min(1).optional(),
    costPerMillionTokens: z.object({ input: z.number(), output: z.number() }).optional(),
  }),
  /** mcp-context for this run; the token is scoped to the run and revoked when it ends. */
  mcp: z
    .object({ url: z.string().url(), token: z.string().min(1) })
    .nullable()
    .default(null),
  deadlineAt: isoDate,
});
export type AgentRunSpec = z.infer<typeof agentRunSpecSchema>;
/** What a caller writes: defaults may be left out. */
export type AgentRunSpecInput = z.input<typeof agentRunSpecSchema>;

/**
 * A human's words for the agent while it works (from `hzn.evt.workitem.follow_up`), written to
 * the runner's stdin as one line after the spec. The runner adds it to the agent's session.
 */
export const runnerFollowUpSchema = z.object({
  type: z.literal('follow_up'),
  /** The envelope id it came in: the same follow-up delivered twice is passed on once. */
  id: z.string().min(1),
  text: z.string().min(1),
  origin: followUpOriginSchema,
  author: z.string().nullable(),
});
export type RunnerFollowUp = z.infer<typeof runnerFollowUpSchema>;

/**
 * Stop working and keep what was done: the harness is stopped, the workspace committed and
 * pushed to the run's branch, and the run reported `cancelled` with that commit (a run stopped
 * at its budget).
 */
export const runnerSaveAndStopSchema = z.object({
  type: z.literal('save_and_stop'),
  reason: z.string().min(1),
});
export type RunnerSaveAndStop = z.infer<typeof runnerSaveAndStopSchema>;

/**
 * The run's deadline moved later: it does not run while the run is held at its budget (its
 * sandbox frozen), so a run that goes on gets the time it was held back.
 */
export const runnerDeadlineSchema = z.object({
  type: z.literal('deadline'),
  deadlineAt: isoDate,
});
export type RunnerDeadline = z.infer<typeof runnerDeadlineSchema>;

/**
 * The runner's preview is up (at the base before the agent starts, or on the change after its
 * checks passed): the host is asked to check it in a browser from a verify sandbox.
 */
export const browserCheckTargets = ['base', 'change'] as const;
export const browserCheckRequestSchema = z.object({
  type: z.literal('browser_check'),
  /** Unique in the run: the answer names it. */
  requestId: z.string().min(1),
  target: z.enum(browserCheckTargets),
  /** The verification round (0, then one per fix round), as for the command checks. */
  round: z.number().int().nonnegative(),
  /** Where the preview answers inside the run's sandbox. */
  port: z.number().int().min(1).max(65535),
});
export type BrowserCheckRequest = z.infer<typeof browserCheckRequestSchema>;

/** What a browser check found; `skipped` when the host could not check (the reason says why). */
export const browserCheckOutcomes = ['passed', 'failed', 'skipped'] as const;
export const browserCheckResultSchema = z.object({
  target: z.enum(browserCheckTargets),
  round: z.number().int().nonnegative(),
  outcome: z.enum(browserCheckOutcomes),
  /** One line per problem, naming the page and what failed: the agent's evidence in a fix round. */
  problems: z.array(z.string()),
  /** One line for people: pages checked, what changed from the base. */
  summary: z.string(),
});
export type BrowserCheckResult = z.infer<typeof browserCheckResultSchema>;

/** The host's answer to a `browser_check`, written to the runner's stdin. */
export const browserCheckAnswerSchema = browserCheckResultSchema.extend({
  type: z.literal('browser_checked'),
  requestId: z.string().min(1),
});
export type BrowserCheckAnswer = z.infer<typeof browserCheckAnswerSchema>;

/** Every line the runner reads after the spec. */
export const runnerInputSchema = z.discriminatedUnion('type', [
  runnerFollowUpSchema,
  runnerSaveAndStopSchema,
  runnerDeadlineSchema,
  browserCheckAnswerSchema,
]);
export type RunnerInput = z.infer<typeof runnerInputSchema>;

export const runnerPhases = ['provisioning', 'harness', 'verification', 'commit', 'push'] as const;

/** One transcript entry; `seq` counts from 0 without gaps; `at` is epoch milliseconds. */
export const runnerEventSchema = z.object({
  type: z.literal('event'),
  seq: z.number().int().nonnegative(),
  at: z.number(),
  phase: z.enum(runnerPhases),
  kind: z.string(),
  summary: z.string(),
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type RunnerEvent = z.infer<typeof runnerEventSchema>;

export const verificationResultSchema = z.object({
  command: z.string(),
  /** 0 for the first pass, then one per fix round. */
  round: z.number().int().nonnegative(),
  exitCode: z.number().int(),
  durationMs: z.number().int().nonnegative(),
  /** The end of the command's combined output. */
  log: z.string(),
});
export type VerificationResult = z.infer<typeof verificationResultSchema>;

export const runReportSchema = z.object({
  type: z.literal('report'),
  outcome: runOutcomeSchema,
  reason: z.string().nullable(),
  usage: z.object({
    inputTokens: z.number().int().nonnegative(),
    outputTokens: z.number().int().nonnegative(),
    costUsd: z.number().nonnegative(),
  }),
  durationMs: z.number().int().nonnegative(),
  /** The pushed branch; null when nothing was pushed. */
  branch: z.string().nullable(),
  commitSha: z.string().nullable(),
  verification: z.array(verificationResultSchema),
  /** The browser checks of the preview, in order (none without a `preview` in the config). */
  browser: z.array(browserCheckResultSchema).default([]),
  /** Failed commands, missing scripts, repeated calls…: material for the retro loop. */
  friction: z.array(frictionEventSchema),
  /** The agent's tool calls (shell commands, reads, edits, mcp-context calls) over the whole run. */
  toolCalls: z.number().int().nonnegative(),
  /** The agent's last words: the plan of a `plan` run, the body of a commit. */
  summary: z.string().nullable(),
  /** A `review` run's structured review; absent for other kinds, and when the agent gave none. */
  review: agentReviewSchema.optional(),
  /** Where the time went; `runnerMs` is the runner's own (start, git, reporting). */
  timings: z.object({
    harnessMs: z.number().int().nonnegative(),
    verificationMs: z.number().int().nonnegative(),
    runnerMs: z.number().int().nonnegative(),
  }),
});
export type RunReport = z.infer<typeof runReportSchema>;

export const runnerLineSchema = z.discriminatedUnion('type', [
  runnerEventSchema,
  runReportSchema,
  browserCheckRequestSchema,
]);
export type RunnerLine = z.infer<typeof runnerLineSchema>;
