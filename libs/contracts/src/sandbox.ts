import { z } from 'zod';
import { defineContract } from './contract';
import { isoDate, sandboxFlavourSchema } from './domain';
import { agentRunKindSchema, harnessNameSchema, modelProviderSchema, repoAgentSettingsSchema } from './run';
import { repoReviewSettingsSchema } from './review';
import { repoRetroSettingsSchema, scheduleDeclarationSchema } from './schedule';
import { budgetLimitsSchema, runAllowanceSchema } from './budget';

const resources = z.object({
  memoryMiB: z.number().int().positive(),
  cpuMillis: z.number().int().positive(),
  maxProcesses: z.number().int().positive(),
});
export type SandboxResources = z.infer<typeof resources>;

/** A failing check on a pull request's head, as a fix run names it. */
export const checkFailureSchema = z.object({
  forge: z.enum(['github', 'local']),
  repo: z.string(),
  kind: z.enum(['check_run', 'check_suite', 'workflow_run', 'status']),
  id: z.number().int(),
  name: z.string(),
  conclusion: z.string(),
  headSha: z.string(),
});
export type CheckFailure = z.infer<typeof checkFailureSchema>;

/** Commands to sandbox-manager (`hzn.cmd.sandbox.*`, work-queue: exactly one worker takes each). */
export const sandboxProvision = defineContract({
  kind: 'command',
  subject: 'hzn.cmd.sandbox.provision',
  version: 1,
  description: 'Boot a sandbox for a run from the newest snapshot and start the agent runner in it.',
  data: z.object({
    sandboxId: z.string().uuid(),
    runId: z.string().uuid(),
    workItemId: z.string().uuid(),
    repo: z.string(),
    baseRef: z.string(),
    branch: z.string(),
    flavour: sandboxFlavourSchema,
    prompt: z.string(),
    resources,
    deadlineAt: isoDate,
    ownerId: z.string().nullable(),
    /**
     * What the agent does. Absent: `plan` for the plan flavour, else `revise` when the branch
     * already exists on the forge, else `implement`.
     */
    kind: agentRunKindSchema.optional(),
    /** The harness the orchestrator chose (item label, repository, default). Absent: an older publisher's, `opencode`. */
    harness: harnessNameSchema.optional(),
    /** Verification commands run instead of the repository's `.horizon/config.yaml` `verify` (a fleet's override). */
    verify: z.array(z.string().min(1)).optional(),
    /**
     * A fix run's failing check: sandbox-manager fetches its logs from the forge (the local
     * forge's check output, GitHub's job logs) and gives their tail to the agent with the prompt.
     */
    checkFailure: checkFailureSchema.optional(),
    /** What the run may spend on the model before its proxy holds it and its owner is asked; absent: no limit. */
    allowance: runAllowanceSchema.optional(),
  }),
});

export const sandboxCancel = defineContract({
  kind: 'command',
  subject: 'hzn.cmd.sandbox.cancel',
  version: 1,
  description: 'Stop the run in a sandbox and destroy it.',
  data: z.object({ sandboxId: z.string().uuid(), runId: z.string().uuid(), reason: z.string() }),
});

export const sandboxPause = defineContract({
  kind: 'command',
  subject: 'hzn.cmd.sandbox.pause',
  version: 1,
  description: 'Freeze every process of a sandbox.',
  data: z.object({ sandboxId: z.string().uuid() }),
});

export const sandboxResume = defineContract({
  kind: 'command',
  subject: 'hzn.cmd.sandbox.resume',
  version: 1,
  description: 'Thaw a paused sandbox.',
  data: z.object({ sandboxId: z.string().uuid() }),
});

/** When a refresh rebuilds a series (see `sandboxRefreshSnapshots.when`). */
export const snapshotRefreshConditionSchema = z.enum(['setup_changed']);
export type SnapshotRefreshCondition = z.infer<typeof snapshotRefreshConditionSchema>;

export const sandboxRefreshSnapshots = defineContract({
  kind: 'command',
  subject: 'hzn.cmd.sandbox.refresh_snapshots',
  version: 1,
  description:
    "Rebuild a repository's snapshots whose commit is no longer the remote's default-branch HEAD (with `when`, only if setup inputs changed), then collect old ones.",
  data: z.object({
    repo: z.string(),
    flavours: z.array(sandboxFlavourSchema).min(1),
    /**
     * `setup_changed` (the orchestrator's, after a merge): only series this host already holds,
     * rebuilt only when a setup input (`.horizon/config.yaml`, a root lockfile) differs between
     * the snapshot's commit and HEAD. Absent: every series named is brought to HEAD, built if
     * missing. Optional, so version 1 still reads it; an older consumer ignores it and rebuilds.
     */
    when: snapshotRefreshConditionSchema.optional(),
  }),
});

/** Facts from sandbox-manager (`hzn.evt.sandbox.*`). */
export const sandboxStateChanged = defineContract({
  kind: 'event',
  subject: 'hzn.evt.sandbox.state_changed',
  version: 1,
  description: 'A sandbox was created, became ready, paused, resumed, failed or was destroyed.',
  data: z.object({
    sandboxId: z.string().uuid(),
    runId: z.string().uuid().nullable(),
    state: z.enum(['creating', 'ready', 'paused', 'destroyed', 'failed']),
    reason: z.string().nullable(),
  }),
});

export const sandboxSnapshotBuilt = defineContract({
  kind: 'event',
  subject: 'hzn.evt.sandbox.snapshot_built',
  version: 1,
  description: 'A new snapshot of a repository and flavour is ready; `removed` are the older ones collected.',
  data: z.object({
    repo: z.string(),
    flavour: sandboxFlavourSchema,
    commit: z.string(),
    snapshotId: z.string(),
    removed: z.array(z.string()),
    /**
     * The schedules the repository's `.horizon/config.yaml` declares at `commit`, the default
     * branch's HEAD when it was built (the orchestrator keeps its config-declared schedules equal
     * to them). Absent: a snapshot read before schedules were declarable, which says nothing.
     */
    schedules: z.array(scheduleDeclarationSchema).optional(),
    /** Its `review:` settings at `commit` (defaults filled in). Absent: an older publisher. */
    review: repoReviewSettingsSchema.optional(),
    /** Its `budgets:` at `commit` (the orchestrator keeps them as the repository's limits). Absent: an older publisher. */
    budgets: budgetLimitsSchema.optional(),
    /** Its `agent:` settings at `commit` (the harness its runs use). Absent: an older publisher. */
    agent: repoAgentSettingsSchema.optional(),
    /** Its `retro:` settings at `commit` (defaults filled in). Absent: an older publisher, taken as the defaults. */
    retro: repoRetroSettingsSchema.optional(),
  }),
});

/**
 * Files a run leaves: its transcript and logs, and the browser evidence of its preview (a
 * full-page screenshot and DOM snapshot per page and target, the visual diff against the base).
 */
export const runArtifactKinds = [
  'transcript',
  'verification_log',
  'egress_log',
  'screenshot',
  'dom_snapshot',
  'visual_diff',
] as const;
export const runArtifactKindSchema = z.enum(runArtifactKinds);
export type RunArtifactKind = z.infer<typeof runArtifactKindSchema>;
/** The kinds that are browser evidence: what the console serves and the PR links. */
export const browserEvidenceKinds = [
  'screenshot',
  'dom_snapshot',
  'visual_diff',
] as const satisfies readonly RunArtifactKind[];
export type BrowserEvidenceKind = (typeof browserEvidenceKinds)[number];

/**
 * The `metadata` of a browser evidence artifact (`screenshot`, `dom_snapshot`, `visual_diff`):
 * which page of `.horizon/verify.yaml`, of which target, in which verification round.
 */
export const browserEvidenceMetadataSchema = z.object({
  page: z.string(),
  /** The page's path on the preview. */
  path: z.string(),
  /** `diff`: the visual diff of the change against the base. */
  target: z.enum(['base', 'change', 'diff']),
  round: z.number().int().nonnegative(),
  /** For a `visual_diff`: the share of pixels that differ from the base (0–1). */
  changedRatio: z.number().min(0).max(1).optional(),
});
export type BrowserEvidenceMetadata = z.infer<typeof browserEvidenceMetadataSchema>;

export const sandboxArtifactRecorded = defineContract({
  kind: 'event',
  subject: 'hzn.evt.sandbox.artifact_recorded',
  version: 1,
  description:
    'A file a run left on the sandbox host (transcript, verification log, egress log) was kept; the orchestrator records it with the run, once per artifactId.',
  data: z.object({
    /** Stable across redeliveries: the orchestrator's Artifact row id. */
    artifactId: z.string().uuid(),
    runId: z.string().uuid(),
    sandboxId: z.string().uuid(),
    kind: runArtifactKindSchema,
    /**
     * Where the file is: a `file://` URL on the sandbox host, or for browser evidence an
     * `nats-object://<bucket>/<name>` in the artifact store, which the console serves.
     */
    uri: z.string().url(),
    contentType: z.string(),
    sizeBytes: z.number().int().nonnegative(),
    /** Searched by mcp-context's `runs_search` with the run's report. */
    metadata: z.record(z.string(), z.unknown()),
  }),
});

const tokens = z.number().int().nonnegative();

export const sandboxModelUsage = defineContract({
  kind: 'event',
  subject: 'hzn.evt.sandbox.model_usage',
  version: 1,
  description:
    'One model request of a run passed the egress proxy: the usage the provider reported in its response, and its cost at the configured prices. The orchestrator records each usageId once.',
  data: z.object({
    /** Stable across redeliveries: the orchestrator's ModelUsage row id. */
    usageId: z.string().uuid(),
    runId: z.string().uuid(),
    sandboxId: z.string().uuid(),
    provider: modelProviderSchema,
    /** As the provider answered (null when the response named none, e.g. an error). */
    model: z.string().nullable(),
    /** Every prompt token, the cached and cache-written ones included. */
    inputTokens: tokens,
    outputTokens: tokens,
    cachedInputTokens: tokens,
    cacheWriteInputTokens: tokens,
    /** False: the response carried no usage (an error, or a stream sent without it). */
    reported: z.boolean(),
    status: z.number().int(),
    /** Null: the model has no price in `MODEL_PRICES` (unpriced, never a made-up 0). */
    costUsd: z.number().nonnegative().nullable(),
    at: isoDate,
  }),
});

export const sandboxContracts = [
  sandboxProvision,
  sandboxCancel,
  sandboxPause,
  sandboxResume,
  sandboxRefreshSnapshots,
  sandboxStateChanged,
  sandboxSnapshotBuilt,
  sandboxArtifactRecorded,
  sandboxModelUsage,
] as const;
