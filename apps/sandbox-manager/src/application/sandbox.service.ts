import {
  envelopeFor,
  sandboxBudgetReached,
  sandboxSnapshotBuilt,
  sandboxStateChanged,
  type DataOf,
  type Envelope,
  type EnvelopeOf,
  type SandboxFlavour,
  type sandboxBudgetAnswer,
  type sandboxCancel,
  type sandboxPause,
  type sandboxProvision,
  type sandboxRefreshSnapshots,
  type sandboxResume,
  type workItemFollowUp,
} from '@horizon/contracts';
import { decide, liveStates, type SandboxCommand, type SandboxState } from '../domain/sandbox-state';
import {
  AgentRuns,
  SOURCE,
  refusedRunEnvelope,
  type AgentRunsOptions,
  type FollowUpResult,
} from './agent-runs';
import { KeyedLock } from './keyed-lock';
import type {
  BootedSandbox,
  SandboxHost,
  SandboxRepository,
  SnapshotRefresh,
  SnapshotRefresher,
} from './ports';
import { retrying } from './retry';
import { snapshotBuiltData } from './snapshot.service';
import type { BudgetAnswerResult, BudgetHold, RunBudgets } from './run-budgets';

export { SOURCE };

export interface SandboxServiceOptions {
  /** Pause before retrying a write that records a boot's result (multiplied per attempt). */
  finalWriteRetryMs?: number;
  /** The agent: without it, a provisioned sandbox stays `ready` with nothing running in it. */
  agent?: Omit<AgentRunsOptions, 'finalWriteRetryMs'>;
  /** Told when a run held at its budget could not be paused, resumed or stopped. */
  onBudgetError?: (error: Error, hold: BudgetHold) => void;
}

/** How a command ended, for the consumer to turn into ack / reject / retry. */
export type CommandResult =
  | { kind: 'applied'; state: SandboxState; reason: string | null }
  /** Already handled, or its effect was already there: nothing changed, nothing published. */
  | { kind: 'ignored'; reason: string }
  /** Cannot apply now or later. */
  | { kind: 'rejected'; reason: string }
  /** No such sandbox (yet: its provision may still be in flight). */
  | { kind: 'unknown'; reason: string };

type Cause = Pick<Envelope, 'id' | 'correlationId'> | null;

const finalWriteAttempts = 3;

/**
 * Sandbox-manager's logic: commands in, state changes out. Every transition is written to the
 * Sandbox row and announced in the same transaction (outbox); commands are claimed in the inbox
 * so a redelivery changes nothing; commands for one sandbox run one at a time.
 */
export class SandboxService {
  private readonly lock = new KeyedLock();
  /** Sandboxes whose provision is in flight (booting), for shutdown to wait on. */
  private readonly provisioning = new Set<string>();
  private readonly runs: AgentRuns | null;
  private readonly finalWriteRetryMs: number;
  private readonly budgets: RunBudgets | null;

  constructor(
    private readonly repository: SandboxRepository,
    private readonly host: SandboxHost,
    private readonly snapshots: SnapshotRefresher,
    options: SandboxServiceOptions = {},
  ) {
    this.finalWriteRetryMs = options.finalWriteRetryMs ?? 1000;
    this.runs = options.agent
      ? new AgentRuns(repository, host, this.lock, {
          ...options.agent,
          finalWriteRetryMs: this.finalWriteRetryMs,
        })
      : null;
    this.budgets = options.agent?.budgets ?? null;
    const onError = options.onBudgetError ?? (() => undefined);
    this.budgets?.attach({
      held: (hold) => this.holdAtBudget(hold).catch((error: Error) => onError(error, hold)),
      unanswered: (hold, reason) => {
        // Asked before the thaw: the frozen runner reads it as soon as it runs again, ahead of
        // its agent meeting the refused model request (which, seen first, ended the run as
        // failed with nothing pushed when the thaw's transaction was slow).
        this.runs?.saveAndStop(hold.runId, reason);
        return this.endHold(hold, null, reason)
          .then(() => undefined)
          .catch((error: Error) => onError(error, hold));
      },
    });
  }

  async provision(env: EnvelopeOf<typeof sandboxProvision>): Promise<CommandResult> {
    const data = env.data;
    this.provisioning.add(data.sandboxId);
    try {
      return await this.provisionLocked(env);
    } finally {
      this.provisioning.delete(data.sandboxId);
    }
  }

  private provisionLocked(env: EnvelopeOf<typeof sandboxProvision>): Promise<CommandResult> {
    const data = env.data;
    return this.lock.run(data.sandboxId, async () => {
      const claimed = await this.repository.transaction(env.id, async (tx) => {
        const existing = await tx.get(data.sandboxId);
        if (existing) return existing.state;
        await tx.insert({
          id: data.sandboxId,
          runId: data.runId,
          driver: this.host.driverKind,
          flavour: data.flavour,
          state: 'creating',
          resources: data.resources,
          host: this.host.name,
        });
        tx.publish(this.stateEvent(data.sandboxId, data.runId, 'creating', null, env));
        return null;
      });
      if (!claimed.applied) return { kind: 'ignored', reason: 'provision already handled' };
      if (claimed.value)
        return { kind: 'ignored', reason: `sandbox ${data.sandboxId} exists already (${claimed.value})` };
      return this.boot(env);
    });
  }

  /** A run in the sandbox is stopped first (it reports `cancelled`), then the sandbox is destroyed. */
  async cancel(env: EnvelopeOf<typeof sandboxCancel>): Promise<CommandResult> {
    // A provision still booting holds the lock: its run starts before this goes on.
    await this.lock.run(env.data.sandboxId, async () => undefined);
    // A frozen runner cannot end: a run held at its budget is thawed to be stopped.
    const hold = this.budgets?.heldRun(env.data.runId);
    if (hold) {
      await this.endHold(hold, env, env.data.reason, false);
      this.budgets!.close(env.data.runId);
    }
    if (this.runs && (await this.runs.stop(env.data.sandboxId, env.data.reason, env)))
      return { kind: 'applied', state: 'destroyed', reason: env.data.reason };
    return this.apply(env, 'cancel', env.data.reason);
  }

  /** A human's words for a run in flight: to its runner, when the run is on this host. */
  followUp(env: EnvelopeOf<typeof workItemFollowUp>): FollowUpResult {
    return this.runs
      ? this.runs.followUp(env)
      : { kind: 'not_passed', reason: 'this sandbox-manager runs no agents' };
  }

  /**
   * The owner's answer to a run held at its budget: the held model requests go on ("continue") or
   * are refused and the runner saves the work and stops ("stop"). Answered while still frozen: the
   * runner reads its later deadline (and a stop) before its own timers, run on meanwhile, fire.
   */
  async budgetAnswer(env: EnvelopeOf<typeof sandboxBudgetAnswer>): Promise<CommandResult> {
    const { runId, action, extra, answeredBy } = env.data;
    const budgets = this.budgets;
    const hold = budgets?.heldRun(runId);
    if (!budgets || !hold)
      return { kind: 'ignored', reason: `run ${runId} is not held at its budget on ${this.host.name}` };
    const said = action === 'continue' ? `continued by ${answeredBy}` : `stopped by ${answeredBy}`;
    const taken: { answer?: BudgetAnswerResult } = {};
    const claimed = await this.endHold(hold, env, `${said} at its budget`, true, () => {
      taken.answer = budgets.answer(runId, action, extra, answeredBy, env.id);
      if (taken.answer.kind === 'stopped') this.runs?.saveAndStop(runId, taken.answer.reason);
    });
    if (!claimed) return { kind: 'ignored', reason: 'budget answer already handled' };
    if (taken.answer?.kind === 'continued') budgets.resume(runId);
    return { kind: 'applied', state: 'ready', reason: said };
  }

  pause(env: EnvelopeOf<typeof sandboxPause>): Promise<CommandResult> {
    return this.apply(env, 'pause', null);
  }

  resume(env: EnvelopeOf<typeof sandboxResume>): Promise<CommandResult> {
    return this.apply(env, 'resume', null);
  }

  /**
   * At start: sandboxes Postgres records as live on this host but the host does not have (the
   * driver cleared what an earlier process left) are marked failed, with the reason.
   */
  async reconcile(why = 'restarted'): Promise<number> {
    let failed = 0;
    for (const record of await this.repository.liveOn(this.host.name)) {
      if (this.host.has(record.id)) continue;
      const reason = `sandbox-manager on ${this.host.name} ${why}; the sandbox (${record.state}) no longer exists`;
      await this.repository.transaction(null, async (tx) => {
        await this.runs?.endLost(tx, record, `sandbox-manager ${why}`);
        await tx.update(record.id, { state: 'failed', destroyedAt: new Date() });
        tx.publish(this.stateEvent(record.id, record.runId, 'failed', reason, null));
      });
      failed += 1;
    }
    return failed;
  }

  async refreshSnapshots(env: EnvelopeOf<typeof sandboxRefreshSnapshots>): Promise<SnapshotRefresh[]> {
    const results: SnapshotRefresh[] = [];
    for (const flavour of new Set<SandboxFlavour>(env.data.flavours))
      results.push(await this.snapshots.refresh(env.data.repo, flavour, env.data.when));
    await this.announceSnapshots(results, env);
    return results;
  }

  /** On shutdown: nothing keeps running unrecorded; each live sandbox is destroyed and marked failed. */
  async shutdown(): Promise<number> {
    const destroy = (id: string) => this.lock.run(id, () => this.host.destroy(id));
    // A sandbox still booting is not on the host's list yet: wait for its provision (it holds the
    // sandbox's lock), so it is destroyed below rather than left mounted.
    await Promise.all([...this.provisioning].map((id) => this.lock.run(id, async () => undefined)));
    await this.runs?.detachAll(destroy);
    for (const id of this.host.list()) await destroy(id);
    return this.reconcile('stopped');
  }

  /** The timer's pass over every snapshot series on this host. */
  async refreshAllSnapshots(
    onError: Parameters<SnapshotRefresher['refreshAll']>[0],
  ): Promise<SnapshotRefresh[]> {
    const results = await this.snapshots.refreshAll(onError);
    await this.announceSnapshots(results, null);
    return results;
  }

  private async boot(env: EnvelopeOf<typeof sandboxProvision>): Promise<CommandResult> {
    const data = env.data;
    // No run can succeed here (no model provider): refused before booting anything, and the
    // run ends `failed` (final: retrying cannot help) ahead of the sandbox's `failed`.
    const refusal = this.runs?.refusal ?? null;
    let outcome: { state: 'ready'; booted: BootedSandbox } | { state: 'failed'; reason: string };
    try {
      if (refusal) throw new Error(refusal);
      this.runs?.prepare(data);
      const booted = await this.host.boot({
        sandboxId: data.sandboxId,
        runId: data.runId,
        repo: data.repo,
        flavour: data.flavour,
        baseRef: data.baseRef,
        branch: data.branch,
        resources: data.resources,
      });
      outcome = { state: 'ready', booted };
    } catch (error) {
      outcome = { state: 'failed', reason: (error as Error).message };
    }
    try {
      await retrying(
        () =>
          this.repository.transaction(null, async (tx) => {
            if (outcome.state === 'ready')
              await tx.update(data.sandboxId, { state: 'ready', snapshotRef: outcome.booted.snapshotRef });
            else await tx.update(data.sandboxId, { state: 'failed', destroyedAt: new Date() });
            const reason = outcome.state === 'failed' ? outcome.reason : null;
            if (refusal) tx.publish(refusedRunEnvelope(env, refusal));
            tx.publish(this.stateEvent(data.sandboxId, data.runId, outcome.state, reason, env));
          }),
        finalWriteAttempts,
        this.finalWriteRetryMs,
      );
    } catch (error) {
      // Unrecorded, the sandbox would run with nobody to stop it; the row stays `creating`
      // and the next start's reconcile marks it failed.
      this.runs?.release(data.runId);
      await this.host.destroy(data.sandboxId);
      throw error;
    }
    if (outcome.state === 'failed') {
      this.runs?.release(data.runId);
      return { kind: 'applied', state: 'failed', reason: outcome.reason };
    }
    await this.runs?.start(env, outcome.booted);
    return { kind: 'applied', state: 'ready', reason: null };
  }

  private async apply(
    env: Envelope<{ sandboxId: string }>,
    command: SandboxCommand,
    reason: string | null,
  ): Promise<CommandResult> {
    const id = env.data.sandboxId;
    return this.lock.run(id, async () => {
      const record = await this.repository.find(id);
      if (!record) return { kind: 'unknown', reason: `sandbox ${id} is not known to sandbox-manager` };
      if (record.host !== this.host.name && liveStates.includes(record.state))
        return { kind: 'rejected', reason: `sandbox ${id} lives on ${record.host}, not ${this.host.name}` };
      const result = await this.repository.transaction(env.id, async (tx) => {
        const current = (await tx.get(id)) ?? record;
        const decision = decide(current.state, command);
        if (decision.kind !== 'apply') return decision;
        if (command === 'pause') await this.host.pause(id);
        else if (command === 'resume') await this.host.resume(id);
        else await this.host.destroy(id);
        await tx.update(id, {
          state: decision.to,
          ...(decision.to === 'destroyed' ? { destroyedAt: new Date() } : {}),
        });
        tx.publish(this.stateEvent(id, current.runId, decision.to, reason, env));
        return decision;
      });
      if (!result.applied) return { kind: 'ignored', reason: `${command} already handled` };
      const decision = result.value;
      if (decision.kind === 'apply') return { kind: 'applied', state: decision.to, reason };
      return decision.kind === 'noop'
        ? { kind: 'ignored', reason: decision.reason }
        : { kind: 'rejected', reason: decision.reason };
    });
  }

  /** Freezes the held run's sandbox and asks, through the orchestrator, its owner what to do. */
  private holdAtBudget(hold: BudgetHold): Promise<void> {
    const { sandboxId, runId, workItemId, spentTokens, spentCostUsd, reason, answerBy } = hold;
    return this.lock.run(sandboxId, async () => {
      await this.host.pause(sandboxId);
      await this.repository.transaction(null, async (tx) => {
        await tx.update(sandboxId, { state: 'paused' });
        tx.publish(this.stateEvent(sandboxId, runId, 'paused', `held at its budget: ${reason}`, null));
        tx.publish(
          envelopeFor(
            sandboxBudgetReached,
            {
              runId,
              sandboxId,
              workItemId,
              spentTokens,
              spentCostUsd,
              reason,
              answerBy: answerBy.toISOString(),
            },
            { source: SOURCE },
          ),
        );
      });
    });
  }

  /** Thaws a held run's sandbox (`beforeThaw` still frozen), once per answer (`cause`'s id); false: handled before. */
  private async endHold(
    hold: BudgetHold,
    cause: Cause,
    reason: string,
    claim = true,
    beforeThaw?: () => void,
  ): Promise<boolean> {
    return this.lock.run(hold.sandboxId, async () => {
      beforeThaw?.();
      await this.host.resume(hold.sandboxId);
      const result = await this.repository.transaction(claim ? (cause?.id ?? null) : null, async (tx) => {
        await tx.update(hold.sandboxId, { state: 'ready' });
        tx.publish(this.stateEvent(hold.sandboxId, hold.runId, 'ready', reason, cause));
      });
      return result.applied;
    });
  }

  /** Announces a snapshot built on first use (see SnapshotService.onBuiltOnDemand). */
  announceBuilt(built: SnapshotRefresh): Promise<void> {
    return this.announceSnapshots([built], null);
  }

  private async announceSnapshots(results: SnapshotRefresh[], cause: Cause): Promise<void> {
    const built = results.filter((result) => result.built);
    if (built.length === 0) return;
    await this.repository.transaction(null, async (tx) => {
      for (const result of built)
        tx.publish(
          envelopeFor(sandboxSnapshotBuilt, snapshotBuiltData(result), {
            source: SOURCE,
            ...(cause ? { causedBy: cause } : {}),
          }),
        );
    });
  }

  private stateEvent(
    sandboxId: string,
    runId: string | null,
    state: SandboxState,
    reason: string | null,
    cause: Cause,
  ): EnvelopeOf<typeof sandboxStateChanged> {
    const data: DataOf<typeof sandboxStateChanged> = { sandboxId, runId, state, reason };
    return envelopeFor(sandboxStateChanged, data, { source: SOURCE, ...(cause ? { causedBy: cause } : {}) });
  }
}
