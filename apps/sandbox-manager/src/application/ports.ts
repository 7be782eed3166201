import type {
  RepoAgentSettings,
  RunArtifactKind,
  DataOf,
  Envelope,
  RunnerEvent,
  RunnerInput,
  RunReport,
  RepoReviewSettings,
  RepoRetroSettings,
  BudgetLimits,
  SandboxFlavour,
  SandboxResources,
  ScheduleDeclaration,
  SnapshotRefreshCondition,
  sandboxProvision,
} from '@horizon/contracts';
import type { ExecOptions, SandboxDriverKind, SandboxHandle, SandboxProcess } from '@horizon/sandbox';
import type { RunDeadlineSource } from '@horizon/runner-launch';
import type { SandboxState } from '../domain/sandbox-state';
import type { SetupInputBlobs } from '../domain/setup-inputs';
import type { SetupTimings } from '../domain/slow-setup';

/** One Sandbox row as the service sees it. */
export interface SandboxRecord {
  id: string;
  runId: string | null;
  driver: string;
  flavour: string;
  state: SandboxState;
  resources: SandboxResources;
  snapshotRef: string | null;
  host: string | null;
  destroyedAt: Date | null;
}

export interface SandboxChange {
  state: SandboxState;
  snapshotRef?: string;
  destroyedAt?: Date;
}

/** Writes of one Postgres transaction; `publish`ed envelopes go to the outbox in it. */
export interface SandboxTransaction {
  get(id: string): Promise<SandboxRecord | null>;
  insert(record: Omit<SandboxRecord, 'destroyedAt' | 'snapshotRef'>): Promise<void>;
  update(id: string, change: SandboxChange): Promise<void>;
  publish(envelope: Envelope): void;
}

export type Transacted<T> = { applied: true; value: T } | { applied: false };

export const SANDBOX_REPOSITORY = Symbol('hzn:sandbox-repository');

/** Sandbox rows, the handler inbox and the outbox, in Postgres. */
export interface SandboxRepository {
  find(id: string): Promise<SandboxRecord | null>;
  liveOn(host: string): Promise<SandboxRecord[]>;
  /**
   * Runs `work` in one transaction. With `claimedEnvelopeId`, the message is recorded in the
   * inbox first and the result is `{ applied: false }` (nothing written) if it was seen before.
   */
  transaction<T>(
    claimedEnvelopeId: string | null,
    work: (tx: SandboxTransaction) => Promise<T>,
  ): Promise<Transacted<T>>;
}

export type ProvisionRequest = DataOf<typeof sandboxProvision>;

/** How the sandbox for one run is booted; the operator command fills it in the same way. */
export interface BootRequest {
  sandboxId: string;
  runId: string | null;
  repo: string;
  flavour: SandboxFlavour;
  /** Branch or commit the workspace moves to; the run's branch is created there. */
  baseRef: string;
  branch: string;
  resources: SandboxResources;
  /** Extra `host` / `host:port` allowlist entries beyond the flavour's and the repository's. */
  extraAllow?: readonly string[];
  env?: Record<string, string>;
}

export interface BootedSandbox {
  handle: SandboxHandle;
  /** `<repo>/<flavour>/<snapshot id>`: what the Sandbox row records. */
  snapshotRef: string;
  /** The commit the workspace's run branch starts from. */
  commit: string;
  /** How long it took to get ready, as a run's `slow_setup` friction reads it. */
  timings: SetupTimings;
}

export const SANDBOX_HOST = Symbol('hzn:sandbox-host');

/** The sandboxes of this host, by id. Everything but `boot` is a no-op or refusal for an unknown id. */
export interface SandboxHost {
  readonly driverKind: SandboxDriverKind;
  readonly name: string;
  boot(request: BootRequest): Promise<BootedSandbox>;
  has(id: string): boolean;
  /** Ids of every sandbox alive here. */
  list(): string[];
  exec(id: string, command: readonly string[], options?: ExecOptions): Promise<SandboxProcess>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
}

export interface SnapshotRefresh {
  repo: string;
  flavour: SandboxFlavour;
  /**
   * The snapshot built by this refresh, or null when the newest was still current. `schedules`,
   * `review` and the rest are its `.horizon/config.yaml`'s (absent on snapshots read before they
   * were declarable).
   */
  built: {
    id: string;
    commit: string;
    config: {
      schedules?: ScheduleDeclaration[];
      review?: RepoReviewSettings;
      budgets?: BudgetLimits;
      agent?: RepoAgentSettings;
      retro?: RepoRetroSettings;
    };
  } | null;
  removed: string[];
  /** With a refresh `when`: why the series was rebuilt (the setup inputs that changed) or kept. */
  reason?: string;
}

/** Keeps snapshot series current (see SnapshotService). */
export interface SnapshotRefresher {
  /** Brings the series to the remote's HEAD; `when` limits that to series whose setup inputs changed. */
  refresh(repo: string, flavour: SandboxFlavour, when?: SnapshotRefreshCondition): Promise<SnapshotRefresh>;
  /** Every series this host holds; a failing one is reported and skipped. */
  refreshAll(
    onError: (series: { repo: string; flavour: SandboxFlavour }, error: Error) => void,
  ): Promise<SnapshotRefresh[]>;
  /** Hears of each snapshot built on first use, which no refresh reports. */
  onBuiltOnDemand(listener: (built: SnapshotRefresh) => void): void;
}

/** A file a run leaves behind (transcript, verification log, egress log), recorded as an Artifact row. */
export interface RunArtifact {
  kind: RunArtifactKind;
  /** Absolute host path under the artifacts folder. */
  path: string;
  /** Where other services read it (the artifact store); default: the `file://` URL of `path`. */
  uri?: string;
  contentType: string;
  sizeBytes: number;
  /** What it shows (browser evidence: page, target, round). */
  metadata?: Record<string, unknown>;
}

/** The run a booted sandbox is for, as the provision command described it. */
export interface AgentRunTarget {
  provision: ProvisionRequest;
  booted: BootedSandbox;
}

export interface AgentRunOptions {
  /** Each runner event, in `seq` order, as it happens. Must not throw. */
  onEvent: (event: RunnerEvent) => void;
  /** Aborting asks the runner to stop; the run then ends `cancelled`. */
  signal: AbortSignal;
  /** Follow-ups for the agent, in order, from before the runner started to the run's end. */
  followUps: AsyncIterable<RunnerInput>;
  /** The run's deadline, standing still while the run is held at its budget. */
  deadline?: RunDeadlineSource;
}

export interface AgentRunResult {
  report: RunReport;
  artifacts: RunArtifact[];
}

/**
 * Runs the agent in a booted sandbox to its end. Never rejects: a run that cannot start, or
 * whose runner dies, ends with a report saying so (`infra_error`, or `failed` when retrying
 * cannot help).
 */
export interface AgentLauncher {
  run(target: AgentRunTarget, options: AgentRunOptions): Promise<AgentRunResult>;
  /** Why no run can succeed on this host as configured (e.g. no model provider), or null. */
  readonly refusal: string | null;
}

/** What a run in flight needs to be ended after a crash: written at launch, read by the next start. */
export interface RunJournalEntry {
  runId: string;
  workItemId: string;
  startedAt: string;
}

/** Runs in flight on this host, kept outside the process so a restart can end them. */
export interface RunJournal {
  record(sandboxId: string, entry: RunJournalEntry): Promise<void>;
  read(sandboxId: string): Promise<RunJournalEntry | null>;
  /** Files the run left so far (the transcript of a run cut short). */
  artifacts(sandboxId: string): Promise<RunArtifact[]>;
}

/** Blob ids of setup inputs (`domain/setup-inputs.ts`) on either side of a merge, read with the host's git. */
export interface SetupInputReader {
  /** In a snapshot's own checkout, at the commit it was built at. */
  atSnapshot(snapshot: { dir: string; commit: string }, paths: readonly string[]): Promise<SetupInputBlobs>;
  /** At the remote's default-branch HEAD, fetched shallowly: the commit that was read, and its inputs. */
  atRemoteHead(repo: string, paths: readonly string[]): Promise<{ commit: string; blobs: SetupInputBlobs }>;
}

/** Where the host reads repositories (clone, the remote's HEAD). */
export interface RepositoryRemote {
  /** What `git clone` and `git ls-remote` read for `owner/name`. */
  sourceFor(repo: string): string;
  /** The commit `ref` (a branch name, `HEAD`, or a full commit id) points at, or null. */
  resolve(repo: string, ref: string): Promise<string | null>;
}
