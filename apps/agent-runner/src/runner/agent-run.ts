import { readAgentReview } from '@horizon/contracts';
import type {
  AgentReview,
  AgentRunSpec,
  RunOutcome,
  RunReport,
  VerificationResult,
} from '@horizon/contracts';
import type { Harness } from '../harness';
import { AgentSession } from './agent-session';
import { BrowserVerification, type BrowserCheckInbox } from './browser-verification';
import { runCommand, shellCommand } from './commands';
import { commitMessage } from './commit-message';
import { RunDeadline } from './deadline';
import type { FollowUpSource } from './follow-ups';
import { FrictionRecorder } from './friction';
import { checkResolved, mergeBase } from './base-merge';
import { GitWorkspace } from './git-workspace';
import { browserFixPrompt, fixPrompt, rebasePrompt, reviewPrompt, taskPrompt } from './prompts';
import { pinReviewMaterial } from './review-material';
import { RunStopped, SaveAndStop } from './run-stopped';
import { oneLine, tail, type Transcript } from './transcript';

export interface AgentRunDeps {
  spec: AgentRunSpec;
  harness: Harness;
  transcript: Transcript;
  /** The repository checkout (the sandbox's workspace). */
  workdir: string;
  /** Environment of verification and git commands: the sandbox's own (no secrets in it). */
  env: Record<string, string>;
  /** Variables the agent's process gets beyond the harness's own. */
  agentEnv: Record<string, string>;
  /** Aborted on SIGTERM: whatever runs is stopped and the run ends `cancelled`. */
  signal: AbortSignal;
  /** Aborted (with the reason) to stop the agent and commit and push what it did so far. */
  saveAndStop?: AbortSignal;
  /** Follow-ups from the humans while the run goes on (the runner's stdin). */
  followUps: FollowUpSource;
  /** The run's deadline, moved later from stdin; default: the spec's. */
  deadline?: RunDeadline;
  /** The host's answers to browser checks (stdin); without it a preview is not checked. */
  browserChecks?: BrowserCheckInbox;
}

/** Log kept per verification step in the transcript; the report keeps up to 64 KiB. */
const EVENT_LOG_TAIL = 16 * 1024;

/**
 * One run inside the sandbox: the harness on the task, the repository's checks with bounded
 * fix rounds, an attributed commit, the push to the run's branch — each step reported on the
 * transcript as it happens, and everything summed up in the report. Follow-ups join the
 * agent's turn; one that came during the checks gets a turn of its own, checked again.
 */
export async function runAgent(deps: AgentRunDeps): Promise<RunReport> {
  return new AgentRun(deps).execute();
}

class AgentRun {
  private readonly startedAt = Date.now();
  private readonly deadline: RunDeadline;
  private get deadlineAt(): number {
    return this.deadline.at;
  }
  private readonly verification: VerificationResult[] = [];
  private readonly friction = new FrictionRecorder();
  private readonly agent: AgentSession;
  private readonly repo: GitWorkspace;
  private readonly browser: BrowserVerification;
  private verificationMs = 0;
  private toolCalls = 0;
  /** A rebase run's merge of the base is in progress: the commit concludes it. */
  private merging = false;
  /** While the work of a stopped run is saved, its stop no longer interrupts the git commands. */
  private saving = false;

  constructor(private readonly deps: AgentRunDeps) {
    this.deadline = deps.deadline ?? new RunDeadline(Date.parse(deps.spec.deadlineAt));
    deps.transcript.observe((event) => {
      this.friction.observe(event);
      if (event.kind === 'tool_use') this.toolCalls += 1;
    });
    this.agent = new AgentSession({
      ...deps,
      deadline: this.deadline,
      checkStillGoing: () => this.checkStillGoing(),
    });
    this.repo = new GitWorkspace({
      ...deps,
      deadlineAt: () => this.deadlineAt,
      checkStillGoing: () => this.checkStillGoing(),
    });
    this.browser = new BrowserVerification({
      ...deps,
      inbox: deps.browserChecks,
      deadlineAt: () => this.deadlineAt,
    });
  }

  async execute(): Promise<RunReport> {
    const { spec, transcript } = this.deps;
    transcript.emit('provisioning', 'runner.started', `${spec.kind} run on ${spec.branch}`, {
      pid: process.pid,
      kind: spec.kind,
      branch: spec.branch,
      deadlineAt: spec.deadlineAt,
    });
    try {
      if (spec.kind === 'review') return await this.review();
      // The workspace is at the base until the run's branch is checked out: the preview of the
      // base, what the change is compared with, is taken then.
      await this.browser.captureBase();
      await this.moveToBranch();
      const merge = spec.kind === 'rebase' ? await mergeBase(this.repo, spec, this.deps.transcript) : null;
      this.merging = merge?.merging ?? false;
      const conflicts = merge?.conflicts ?? null;
      let prompt = conflicts ? rebasePrompt(spec, conflicts) : taskPrompt(spec);
      let label: string | undefined;
      let fixes = 0;
      for (let round = 0; ; round += 1) {
        // A base that merged cleanly leaves the agent nothing to resolve: straight to the checks.
        if (round > 0 || conflicts?.length !== 0) await this.agent.turns(prompt, round, label);
        if (spec.kind === 'plan') return this.finish('succeeded', null);
        if (round === 0 && conflicts?.length) await checkResolved(this.deps.workdir, spec, conflicts);
        // New work with nothing to change is an answer, not a failure, and needs no
        // verification: the run ends with the agent's reason and no PR.
        if (round === 0 && spec.kind === 'implement' && (await this.repo.changedFiles()).length === 0)
          throw new RunStopped(
            'not_applicable',
            oneLine(this.agent.summary ?? '', 500) || 'the agent changed no files and gave no reason',
          );
        const failure = await this.verify(round);
        const seen = failure ? null : await this.browser.checkChange(round);
        if (failure || seen) {
          if (fixes >= spec.fixRounds) {
            const after = spec.fixRounds > 0 ? ` after ${spec.fixRounds} fix round(s)` : '';
            throw new RunStopped(
              'failed',
              failure
                ? `\`${failure.command}\` failed (exit ${failure.exitCode})${after}`
                : `the browser check failed${after}: ${seen!.summary}`,
            );
          }
          fixes += 1;
          // Follow-ups that came during the checks join the fix round's turn.
          prompt = failure ? fixPrompt(spec, failure, fixes) : browserFixPrompt(spec, seen!, fixes);
          label = `fix round ${fixes}`;
        } else {
          const followUps = this.agent.takeFollowUps();
          if (followUps === null) break;
          prompt = followUps;
          label = 'follow-up';
        }
      }
      const sha = await this.commit();
      await this.push(sha);
      return this.finish('succeeded', null, sha, spec.branch);
    } catch (error) {
      if (error instanceof SaveAndStop) return this.save(error.reason);
      if (error instanceof RunStopped) return this.finish(error.outcome, error.reason, error.commitSha);
      const message = error instanceof Error ? error.message : String(error);
      return this.finish('infra_error', `runner error: ${message}`);
    }
  }

  /**
   * A review: the PR's head checked out (read-only: nothing is committed or pushed, and the
   * review flavour's proxy refuses a push), one turn, and the structured review it ends with.
   */
  private async review(): Promise<RunReport> {
    const { spec } = this.deps;
    await this.repo.git(
      ['fetch', '--quiet', 'origin', `refs/heads/${spec.baseRef}`],
      `fetching ${spec.baseRef}`,
    );
    const base = (await this.repo.git(['rev-parse', 'FETCH_HEAD'], 'reading the base')).output.trim();
    await this.repo.git(
      ['fetch', '--quiet', 'origin', `refs/heads/${spec.branch}`],
      `fetching ${spec.branch}`,
    );
    await this.repo.git(['checkout', '--quiet', '--detach', 'FETCH_HEAD'], `checking out ${spec.branch}`);
    const diff = (await this.repo.git(['diff', `${base}...HEAD`], 'reading the diff')).output;
    const instructions = await pinReviewMaterial(this.deps.workdir, async (file) => {
      const shown = await this.repo.run(['show', `${base}:${file}`]);
      return shown.exitCode === 0 ? shown.output : null;
    });
    await this.agent.turns(reviewPrompt(spec, instructions, diff), 0, 'review');
    const reading = readAgentReview(this.agent.summary);
    if (!reading.ok) return this.finish('failed', reading.reason);
    return this.finish('succeeded', null, null, null, reading.value);
  }

  /** A revise (or rebase) run continues the pushed branch; any other run works on its branch from the base. */
  private async moveToBranch(): Promise<void> {
    const { spec, transcript } = this.deps;
    if (spec.kind === 'revise' || spec.kind === 'rebase') {
      await this.repo.git(
        ['fetch', '--quiet', 'origin', `refs/heads/${spec.branch}`],
        `fetching ${spec.branch}`,
      );
      await this.repo.git(
        ['checkout', '--quiet', '-B', spec.branch, 'FETCH_HEAD'],
        `checking out ${spec.branch}`,
      );
    } else {
      const current = await this.repo.git(['branch', '--show-current'], 'reading the branch');
      if (current.output.trim() !== spec.branch)
        await this.repo.git(['checkout', '--quiet', '-B', spec.branch], `creating ${spec.branch}`);
    }
    const head = (await this.repo.git(['rev-parse', 'HEAD'], 'reading HEAD')).output.trim();
    transcript.emit('provisioning', 'branch.ready', `on ${spec.branch} at ${head.slice(0, 12)}`, {
      branch: spec.branch,
      head,
    });
  }

  /** Runs the checks in order; the first failing one is returned (later ones are not run). */
  private async verify(round: number): Promise<VerificationResult | null> {
    const { spec, transcript } = this.deps;
    for (const command of spec.verify) {
      this.checkStillGoing();
      transcript.emit('verification', 'verify.started', `$ ${command}`, { command, round });
      const outcome = await runCommand({
        ...shellCommand(command),
        cwd: this.deps.workdir,
        env: this.deps.env,
        deadlineAt: this.deadlineAt,
        signal: this.deps.signal,
      });
      this.verificationMs += outcome.durationMs;
      const result: VerificationResult = {
        command,
        round,
        exitCode: outcome.exitCode ?? -1,
        durationMs: outcome.durationMs,
        log: outcome.output,
      };
      this.verification.push(result);
      const passed = outcome.stoppedBy === 'exited' && outcome.exitCode === 0;
      transcript.emit(
        'verification',
        passed ? 'verify.passed' : 'verify.failed',
        `${command}: ${outcome.stoppedBy === 'exited' ? `exit ${result.exitCode}` : outcome.stoppedBy} after ${outcome.durationMs} ms`,
        {
          command,
          round,
          exitCode: result.exitCode,
          durationMs: outcome.durationMs,
          log: tail(outcome.output, EVENT_LOG_TAIL),
        },
      );
      this.repo.stopIfInterrupted(outcome, `\`${command}\``);
      if (!passed) return result;
    }
    return null;
  }

  private async commit(): Promise<string> {
    const { spec, transcript } = this.deps;
    const changed = await this.repo.changedFiles();
    // A merge that keeps the branch's side of every change still records the base as merged.
    if (changed.length === 0 && !this.merging) throw new RunStopped('failed', 'the agent changed no files');
    const message = commitMessage(spec, this.agent.summary, changed);
    await this.repo.git(
      [
        '-c', `user.name=${spec.agent.name}`, '-c', `user.email=${spec.agent.email}`, '-c', 'commit.gpgsign=false',
        'commit', '--quiet', '--no-verify', '--cleanup=verbatim', '--file=-',
      ],
      'committing',
      message,
    ); // prettier-ignore
    const sha = (await this.repo.git(['rev-parse', 'HEAD'], 'reading the commit')).output.trim();
    transcript.emit('commit', 'commit.created', `${sha.slice(0, 12)} ${message.split('\n')[0]}`, {
      sha,
      files: changed,
      message,
    });
    return sha;
  }

  private async push(sha: string): Promise<void> {
    const { spec, transcript } = this.deps;
    const ref = `refs/heads/${spec.branch}`;
    transcript.emit('push', 'push.started', `pushing ${sha.slice(0, 12)} to ${spec.branch}`, { sha, ref });
    try {
      await this.repo.git(['push', '--quiet', 'origin', `HEAD:${ref}`], `pushing to ${spec.branch}`);
    } catch (error) {
      if (error instanceof RunStopped) throw new RunStopped(error.outcome, error.reason, sha);
      throw error;
    }
    transcript.emit('push', 'push.done', `pushed ${sha.slice(0, 12)} to ${spec.branch}`, { sha, ref });
  }

  /** The stopped run's work so far, committed and pushed; `cancelled` with that commit (or none to keep). */
  private async save(reason: string): Promise<RunReport> {
    const { spec, transcript } = this.deps;
    this.saving = true;
    transcript.emit('commit', 'run.saving', `stopping: ${reason}; saving the work on ${spec.branch}`, {
      reason,
    });
    try {
      const sha = await this.commit();
      await this.push(sha);
      return this.finish('cancelled', reason, sha, spec.branch);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return this.finish('cancelled', `${reason}; the work was not saved: ${why}`);
    }
  }

  private checkStillGoing(): void {
    if (this.deps.signal.aborted) throw new RunStopped('cancelled', 'cancelled on request');
    if (!this.saving && this.deps.saveAndStop?.aborted)
      throw new SaveAndStop(String(this.deps.saveAndStop.reason));
    if (Date.now() >= this.deadlineAt)
      throw new RunStopped('timed_out', `the deadline (${new Date(this.deadlineAt).toISOString()}) passed`);
  }

  private finish(
    outcome: RunOutcome,
    reason: string | null,
    commitSha: string | null = null,
    branch: string | null = null,
    review?: AgentReview,
  ): RunReport {
    const unhandled = this.agent.close();
    if (unhandled > 0) {
      const note = `${unhandled} follow-up(s) came after the agent's last turn and did not reach it`;
      this.deps.transcript.emit('harness', 'follow_up.unhandled', note, { count: unhandled });
    }
    const { usage, harnessMs } = this.agent;
    const durationMs = Date.now() - this.startedAt;
    return {
      type: 'report',
      outcome,
      reason,
      usage: {
        inputTokens: Math.round(usage.inputTokens),
        outputTokens: Math.round(usage.outputTokens),
        costUsd: usage.costUsd,
      },
      durationMs,
      branch,
      commitSha,
      verification: this.verification,
      browser: this.browser.results,
      friction: this.friction.list(),
      toolCalls: this.toolCalls,
      summary: this.agent.summary,
      ...(review ? { review } : {}),
      timings: {
        harnessMs,
        verificationMs: this.verificationMs,
        runnerMs: Math.max(0, durationMs - harnessMs - this.verificationMs),
      },
    };
  }
}
