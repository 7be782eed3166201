import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import {
  envelopeFor,
  frictionNote,
  runFinished,
  sandboxArtifactRecorded,
  runProgress,
  sandboxStateChanged,
  type DataOf,
  type Envelope,
  type EnvelopeOf,
  type RunnerEvent,
  type RunnerInput,
  type RunReport,
  type sandboxProvision,
  type workItemFollowUp,
} from '@horizon/contracts';
import { EventLog, RunClock } from '@horizon/runner-launch';
import type { KeyedLock } from './keyed-lock';
import type {
  AgentLauncher,
  BootedSandbox,
  RunArtifact,
  RunJournal,
  SandboxHost,
  SandboxRecord,
  SandboxRepository,
  SandboxTransaction,
} from './ports';
import { retrying } from './retry';
import type { RunBudgets } from './run-budgets';

export const SOURCE = 'sandbox-manager';

type Cause = Pick<Envelope, 'id' | 'correlationId'>;

export interface AgentRunsOptions {
  launcher: AgentLauncher;
  journal: RunJournal;
  /** A background failure nobody awaits (a lost progress batch, a final write that never went through). */
  onError: (error: Error, context: { sandboxId: string; runId: string }) => void;
  finalWriteRetryMs?: number;
  /** The model allowances of the runs: opened at provision, closed when the run ends. */
  budgets?: RunBudgets;
}

interface ActiveRun {
  controller: AbortController;
  /** Set by a cancel: the reason and the command the end is announced as caused by. */
  stoppedBy: { reason: string; cause: Cause } | null;
  /** On shutdown: the run is left to the next start's reconcile, nothing is written. */
  detached: boolean;
  done: Promise<void>;
}

const finalWriteAttempts = 5;

/** Where a run's follow-ups go, from its provision (the sandbox still booting) to its end. */
interface FollowUpChannel {
  workItemId: string;
  sandboxId: string;
  /** The runner reads them from the first on, so those sent while it booted are not lost. */
  followUps: EventLog<RunnerInput>;
  /** Its working time and deadline, which stand still while it is held at its budget. */
  clock: RunClock;
}

/** What became of a follow-up on this host. */
export type FollowUpResult =
  { kind: 'passed'; runId: string; sandboxId: string } | { kind: 'not_passed'; reason: string };

/**
 * The agent runs of this host: each starts once its sandbox is ready and goes on in the
 * background (the provision command is acknowledged meanwhile). Every runner event becomes
 * `hzn.evt.run.progress`, the report `hzn.evt.run.finished`; then the sandbox is destroyed and
 * recorded so, and each kept file announced (`hzn.evt.sandbox.artifact_recorded`, recorded by the
 * orchestrator with the run), all in one transaction.
 */
export class AgentRuns {
  private readonly active = new Map<string, ActiveRun>();
  /** By run id. */
  private readonly channels = new Map<string, FollowUpChannel>();

  constructor(
    private readonly repository: SandboxRepository,
    private readonly host: SandboxHost,
    private readonly lock: KeyedLock,
    private readonly options: AgentRunsOptions,
  ) {}

  /** Why no run can succeed here as configured, or null. */
  get refusal(): string | null {
    return this.options.launcher.refusal;
  }

  /** Before the sandbox boots: from now on the run takes follow-ups (they wait for its runner). */
  prepare({
    runId,
    workItemId,
    sandboxId,
    allowance,
    deadlineAt,
  }: EnvelopeOf<typeof sandboxProvision>['data']): void {
    const clock = new RunClock(Date.parse(deadlineAt));
    this.channels.set(runId, { workItemId, sandboxId, followUps: new EventLog(), clock });
    if (allowance) this.options.budgets?.open({ runId, workItemId, sandboxId, allowance, clock });
  }

  /** No more follow-ups for the run: it ended, or its sandbox never booted. */
  release(runId: string): void {
    this.channels.get(runId)?.followUps.close();
    this.channels.delete(runId);
    this.options.budgets?.close(runId);
  }

  /** Asks the run's runner to stop its agent and commit and push the work so far. False: no such run here. */
  saveAndStop(runId: string, reason: string): boolean {
    const channel = this.channels.get(runId);
    channel?.followUps.push({ type: 'save_and_stop', reason });
    return channel !== undefined;
  }

  /**
   * Passes a follow-up to the run it names, or to the work item's run here when it names
   * none; one that finds no such run on this host is not passed anywhere (the reason says so).
   */
  followUp(env: EnvelopeOf<typeof workItemFollowUp>): FollowUpResult {
    const { runId, workItemId, text, origin, author } = env.data;
    if (!text.trim()) return { kind: 'not_passed', reason: 'the follow-up has no text' };
    const found = runId
      ? ([runId, this.channels.get(runId)] as const)
      : [...this.channels].find(([, channel]) => channel.workItemId === workItemId);
    const channel = found?.[1];
    if (!found || !channel)
      return {
        kind: 'not_passed',
        reason: runId
          ? `run ${runId} is not running on this host`
          : `no run of work item ${workItemId} is running on this host`,
      };
    channel.followUps.push({ type: 'follow_up', id: env.id, text, origin, author });
    return { kind: 'passed', runId: found[0], sandboxId: channel.sandboxId };
  }

  /** Starts the run in the background and returns at once. */
  async start(env: EnvelopeOf<typeof sandboxProvision>, booted: BootedSandbox): Promise<void> {
    const { sandboxId, runId, workItemId } = env.data;
    if (!this.channels.has(runId)) this.prepare(env.data);
    const channel = this.channels.get(runId)!;
    await this.options.journal
      .record(sandboxId, { runId, workItemId, startedAt: new Date().toISOString() })
      .catch((error: Error) => this.options.onError(error, { sandboxId, runId }));
    const progress = new ProgressOutbox(this.repository, env, (error) =>
      this.options.onError(error, { sandboxId, runId }),
    );
    const run: ActiveRun = {
      controller: new AbortController(),
      stoppedBy: null,
      detached: false,
      done: Promise.resolve(),
    };
    run.done = this.options.launcher
      .run(
        { provision: env.data, booted },
        {
          onEvent: (event) => progress.push(event),
          signal: run.controller.signal,
          followUps: channel.followUps,
          deadline: channel.clock,
        },
      )
      .then(async (result) => {
        this.release(runId);
        await progress.drain();
        if (!run.detached) await this.finish(env, run, result.report, result.artifacts);
      })
      .catch((error: Error) => this.options.onError(error, { sandboxId, runId }))
      .finally(() => {
        this.active.delete(sandboxId);
        this.release(runId);
      });
    this.active.set(sandboxId, run);
  }

  /** Asks the run in `sandboxId` to stop; resolves once it has ended and been recorded. False: none running. */
  async stop(sandboxId: string, reason: string, cause: Cause): Promise<boolean> {
    const run = this.active.get(sandboxId);
    if (!run) return false;
    run.stoppedBy ??= { reason, cause };
    run.controller.abort(new Error(reason));
    await run.done;
    return true;
  }

  /** Shutdown: every run is left unrecorded for reconcile; resolves once their runners are gone. */
  async detachAll(destroy: (sandboxId: string) => Promise<void>): Promise<void> {
    const runs = [...this.active.entries()];
    for (const [, run] of runs) run.detached = true;
    for (const [sandboxId] of runs) await destroy(sandboxId);
    await Promise.all(runs.map(([, run]) => run.done));
  }

  /**
   * In reconcile's transaction: a sandbox lost with its run (a restart, a stop) ends the run
   * `infra_error`, so the orchestrator's retry policy takes over.
   */
  async endLost(tx: SandboxTransaction, record: SandboxRecord, reason: string): Promise<void> {
    const entry = await this.options.journal.read(record.id);
    if (!entry) return;
    tx.publish(
      envelopeFor(
        runFinished,
        {
          runId: entry.runId,
          workItemId: entry.workItemId,
          outcome: 'infra_error',
          reason,
          usage: null,
          durationMs: Math.max(0, Date.now() - Date.parse(entry.startedAt)),
          branch: null,
          commitSha: null,
          verification: [],
          frictionNotes: [],
        },
        { source: SOURCE },
      ),
    );
    publishArtifacts(tx, entry.runId, record.id, await this.options.journal.artifacts(record.id));
  }

  private async finish(
    env: EnvelopeOf<typeof sandboxProvision>,
    run: ActiveRun,
    report: RunReport,
    artifacts: RunArtifact[],
  ): Promise<void> {
    const { sandboxId, runId } = env.data;
    const cause = run.stoppedBy?.cause ?? env;
    const reason = run.stoppedBy?.reason ?? `run ${report.outcome}`;
    await this.lock.run(sandboxId, async () => {
      await this.host.destroy(sandboxId);
      await retrying(
        () =>
          this.repository.transaction(null, async (tx) => {
            const current = await tx.get(sandboxId);
            tx.publish(finishedEnvelope(env, report, run.stoppedBy?.reason ?? null));
            publishArtifacts(tx, runId, sandboxId, artifacts, env);
            if (current && current.destroyedAt === null) {
              await tx.update(sandboxId, { state: 'destroyed', destroyedAt: new Date() });
              const data: DataOf<typeof sandboxStateChanged> = {
                sandboxId,
                runId,
                state: 'destroyed',
                reason,
              };
              tx.publish(envelopeFor(sandboxStateChanged, data, { source: SOURCE, causedBy: cause }));
            }
          }),
        finalWriteAttempts,
        this.options.finalWriteRetryMs ?? 1000,
      );
    });
  }
}

/** Each kept file of a run as an event; the orchestrator owns the run and records them with it. */
function publishArtifacts(
  tx: SandboxTransaction,
  runId: string,
  sandboxId: string,
  artifacts: readonly RunArtifact[],
  cause?: Cause,
): void {
  for (const artifact of artifacts) {
    const data: DataOf<typeof sandboxArtifactRecorded> = {
      artifactId: randomUUID(),
      runId,
      sandboxId,
      kind: artifact.kind,
      uri: artifact.uri ?? pathToFileURL(artifact.path).href,
      contentType: artifact.contentType,
      sizeBytes: artifact.sizeBytes,
      metadata: artifact.metadata ?? {},
    };
    tx.publish(
      envelopeFor(sandboxArtifactRecorded, data, { source: SOURCE, ...(cause ? { causedBy: cause } : {}) }),
    );
  }
}

function finishedEnvelope(
  env: EnvelopeOf<typeof sandboxProvision>,
  report: RunReport,
  stopReason: string | null,
): EnvelopeOf<typeof runFinished> {
  const data: DataOf<typeof runFinished> = {
    runId: env.data.runId,
    workItemId: env.data.workItemId,
    outcome: report.outcome,
    reason: report.reason ?? (report.outcome === 'cancelled' ? stopReason : null),
    usage: report.usage,
    durationMs: report.durationMs,
    branch: report.branch,
    commitSha: report.commitSha,
    verification: report.verification.map(({ command, exitCode, durationMs }) => ({
      command,
      exitCode,
      durationMs,
    })),
    frictionNotes: report.friction.map(frictionNote),
    friction: report.friction,
    toolCalls: report.toolCalls,
    summary: report.summary,
    ...(report.review ? { review: report.review } : {}),
    ...(report.browser.length > 0 ? { browser: report.browser } : {}),
    deadlineAt: env.data.deadlineAt,
  };
  return envelopeFor(runFinished, data, { source: SOURCE, causedBy: env });
}

/** The run's end when it cannot start at all (refused before boot): published with the failed sandbox. */
export function refusedRunEnvelope(
  env: EnvelopeOf<typeof sandboxProvision>,
  reason: string,
): EnvelopeOf<typeof runFinished> {
  return envelopeFor(
    runFinished,
    {
      runId: env.data.runId,
      workItemId: env.data.workItemId,
      outcome: 'failed',
      reason,
      usage: null,
      durationMs: 0,
      branch: null,
      commitSha: null,
      verification: [],
      frictionNotes: [],
      deadlineAt: env.data.deadlineAt,
    },
    { source: SOURCE, causedBy: env },
  );
}

/**
 * Runner events → `hzn.evt.run.progress` through the outbox. Events that arrive while a write
 * is under way go out together in the next transaction, so a chatty harness costs fewer
 * transactions, and `seq` order is kept.
 */
class ProgressOutbox {
  private queue: RunnerEvent[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private scheduled = false;

  constructor(
    private readonly repository: SandboxRepository,
    private readonly cause: EnvelopeOf<typeof sandboxProvision>,
    private readonly onError: (error: Error) => void,
  ) {}

  push(event: RunnerEvent): void {
    this.queue.push(event);
    if (this.scheduled) return;
    this.scheduled = true;
    this.flushing = this.flushing.then(() => this.flush());
  }

  drain(): Promise<void> {
    return this.flushing;
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.queue.splice(0);
    const { runId, workItemId } = this.cause.data;
    await retrying(
      () =>
        this.repository.transaction(null, async (tx) => {
          for (const { seq, phase, kind, summary, detail } of batch) {
            const data: DataOf<typeof runProgress> = {
              runId,
              workItemId,
              seq,
              phase,
              kind,
              summary,
              ...(detail ? { detail } : {}),
            };
            tx.publish(envelopeFor(runProgress, data, { source: SOURCE, causedBy: this.cause }));
          }
        }),
      3,
      500,
    ).catch((error: Error) => this.onError(error));
  }
}
