import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentRunSpec, RunnerFollowUp } from '@horizon/contracts';
import type { Harness, HarnessRun, HarnessUsage } from '../harness';
import { followUpAuthor, followUpMessage, type FollowUpSource } from './follow-ups';
import type { RunDeadline } from './deadline';
import { RunStopped, SaveAndStop } from './run-stopped';
import { oneLine, type Transcript } from './transcript';

export interface AgentSessionDeps {
  spec: AgentRunSpec;
  harness: Harness;
  transcript: Transcript;
  followUps: FollowUpSource;
  workdir: string;
  agentEnv: Record<string, string>;
  signal: AbortSignal;
  saveAndStop?: AbortSignal;
  deadline: RunDeadline;
  /** Throws `RunStopped` when the run was cancelled or is past its deadline. */
  checkStillGoing: () => void;
}

/**
 * The agent's side of a run: one harness session that every turn continues (the task, fix
 * rounds, follow-ups), so the agent always sees the whole conversation. A follow-up that
 * comes while a turn runs joins that turn; one that comes between turns (during
 * verification, say) waits for the next turn, or gets a turn of its own.
 */
export class AgentSession {
  readonly usage: HarnessUsage = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
  harnessMs = 0;
  /** The agent's last words so far. */
  summary: string | null = null;
  private session: string | undefined;
  private readonly stateDir: string;
  private current: HarnessRun | null = null;
  /** Follow-up messages no turn has taken up yet, in the order they came. */
  private readonly pending: string[] = [];
  private readonly deliveries = new Set<Promise<unknown>>();

  constructor(private readonly deps: AgentSessionDeps) {
    this.stateDir = mkdtempSync(join(tmpdir(), `opencode-${deps.spec.runId}-`));
    deps.followUps.listen((followUp) => this.receive(followUp));
  }

  get hasFollowUps(): boolean {
    return this.pending.length > 0;
  }

  /** Follow-ups waiting for a turn, as that turn's prompt; null when there are none. */
  takeFollowUps(): string | null {
    return this.pending.length > 0 ? this.pending.splice(0).join('\n\n') : null;
  }

  /** A turn on `prompt`, then a turn for each batch of follow-ups that came too late for it. */
  async turns(prompt: string, round: number, label?: string): Promise<void> {
    await this.turn(prompt, round, label);
    for (let next = this.takeFollowUps(); next !== null; next = this.takeFollowUps())
      await this.turn(next, round, 'follow-up');
  }

  /** Removes the harness's state; returns how many follow-ups never reached the agent. */
  close(): number {
    rmSync(this.stateDir, { recursive: true, force: true });
    return this.pending.length;
  }

  private async turn(prompt: string, round: number, label: string | undefined): Promise<void> {
    this.deps.checkStillGoing();
    const { spec, harness, transcript, signal } = this.deps;
    const run = harness.start({
      prompt,
      ...(this.session ? { session: this.session } : {}),
      workdir: this.deps.workdir,
      model: {
        provider: spec.model.provider,
        baseUrl: spec.model.baseUrl,
        model: spec.model.model,
        ...(spec.model.smallModel ? { smallModel: spec.model.smallModel } : {}),
        ...(spec.model.costPerMillionTokens ? { costPerMillionTokens: spec.model.costPerMillionTokens } : {}),
      },
      env: this.deps.agentEnv,
      deadlineMs: this.deps.deadline.at - Date.now(),
      deadlineAt: () => this.deps.deadline.at,
      context: {
        runId: spec.runId,
        title: `Horizon ${spec.kind} ${spec.workItemId}`,
        stateDir: this.stateDir,
      },
      ...(spec.mcp ? { mcp: spec.mcp } : {}),
    });
    this.current = run;
    transcript.emit('harness', 'harness.started', `${harness.name} started${label ? ` (${label})` : ''}`, {
      harness: harness.name,
      pid: run.pid,
      round,
      ...(label ? { turn: label } : {}),
    });
    // Follow-ups that came since the last turn ended join this one.
    for (const message of this.pending.splice(0)) this.track(this.deliver(message));
    const cancel = () => void run.cancel();
    signal.addEventListener('abort', cancel);
    this.deps.saveAndStop?.addEventListener('abort', cancel);
    if (this.deps.saveAndStop?.aborted) cancel();
    let lastText: string | undefined;
    try {
      for await (const event of run.events) {
        transcript.harnessEvent(event, round);
        if (event.type === 'text' && event.text.trim()) lastText = event.text;
      }
    } finally {
      signal.removeEventListener('abort', cancel);
      this.deps.saveAndStop?.removeEventListener('abort', cancel);
      this.current = null;
    }
    await Promise.all(this.deliveries);
    const result = await run.result;
    if (result.session) this.session = result.session;
    // Given to the session as its loop was ending: the next turn takes them up.
    this.pending.unshift(...result.unanswered);
    this.harnessMs += result.durationMs;
    this.usage.inputTokens += result.usage.inputTokens;
    this.usage.outputTokens += result.usage.outputTokens;
    this.usage.costUsd += result.usage.costUsd;
    if (lastText) this.summary = lastText;
    transcript.emit(
      'harness',
      'harness.finished',
      `${harness.name} ${result.exit} after ${result.durationMs} ms`,
      {
        round,
        exit: result.exit,
        usage: result.usage,
        durationMs: result.durationMs,
        ...(result.error ? { error: result.error } : {}),
      },
    );
    if (signal.aborted) throw new RunStopped('cancelled', 'cancelled on request');
    // Stopped at its budget: the harness was stopped so that the work can be saved.
    if (this.deps.saveAndStop?.aborted) throw new SaveAndStop(String(this.deps.saveAndStop.reason));
    if (result.exit === 'cancelled') throw new RunStopped('cancelled', 'cancelled on request');
    if (result.exit === 'timed_out')
      throw new RunStopped('timed_out', `the agent was still working at the deadline (${spec.deadlineAt})`);
    if (result.exit === 'failed')
      throw new RunStopped('failed', `the agent failed: ${result.error ?? 'unknown error'}`);
  }

  /** Reported once its fate is known: in the running turn, or waiting for the next one. */
  private receive(followUp: RunnerFollowUp): void {
    const delivered = this.deliver(followUpMessage(followUp)).then((passed) =>
      this.deps.transcript.emit(
        'harness',
        'follow_up.received',
        `follow-up from ${followUpAuthor(followUp)}: ${oneLine(followUp.text, 160)}`,
        {
          id: followUp.id,
          origin: followUp.origin,
          author: followUp.author,
          text: followUp.text,
          passedTo: passed ? 'running turn' : 'next turn',
        },
      ),
    );
    this.track(delivered);
  }

  /** Into the running turn when there is one that takes it; else it waits. */
  private async deliver(message: string): Promise<boolean> {
    const run = this.current;
    if (run && (await run.send(message))) return true;
    this.pending.push(message);
    return false;
  }

  private track(delivery: Promise<unknown>): void {
    this.deliveries.add(delivery);
    void delivery.finally(() => this.deliveries.delete(delivery));
  }
}
