import { runCommand, type CommandOutcome } from './commands';
import { RunStopped } from './run-stopped';
import { oneLine, type Transcript } from './transcript';

export interface GitWorkspaceDeps {
  workdir: string;
  /** The sandbox's environment (no secrets in it). */
  env: Record<string, string>;
  signal: AbortSignal;
  transcript: Transcript;
  /** Where the run's deadline stands now (epoch milliseconds): it can move later. */
  deadlineAt: () => number;
  /** Throws when the run must stop (cancelled, asked to save and stop, past its deadline). */
  checkStillGoing: () => void;
}

/** The run's checkout as git sees it: every git command of a run, bounded by its deadline. */
export class GitWorkspace {
  constructor(private readonly deps: GitWorkspaceDeps) {}

  /** A git command whose failure the caller reads (its exit code is in the outcome). */
  async run(args: string[], stdin?: string): Promise<CommandOutcome> {
    return runCommand({
      command: 'git',
      args,
      cwd: this.deps.workdir,
      env: { ...this.deps.env, GIT_TERMINAL_PROMPT: '0' },
      ...(stdin !== undefined ? { stdin } : {}),
      deadlineAt: this.deps.deadlineAt(),
      signal: this.deps.signal,
    });
  }

  /** A git command that must succeed; its failure ends the run `failed` with git's words. */
  async git(args: string[], what: string, stdin?: string): Promise<CommandOutcome> {
    this.deps.checkStillGoing();
    const outcome = await this.run(args, stdin);
    this.stopIfInterrupted(outcome, what);
    if (outcome.exitCode !== 0) {
      const said = oneLine(outcome.stderr || outcome.output, 300);
      const subcommand = args.find((a) => !a.startsWith('-') && !a.includes('=')) ?? 'git';
      const phase =
        subcommand === 'push' ? 'push' : ['add', 'commit'].includes(subcommand) ? 'commit' : 'provisioning';
      this.deps.transcript.emit(phase, 'git.failed', `git ${subcommand} failed: ${said}`, {
        subcommand,
        exitCode: outcome.exitCode,
      });
      throw new RunStopped('failed', `${what} failed: ${said}`);
    }
    return outcome;
  }

  /** The files the agent changed, staged for the commit. */
  async changedFiles(): Promise<string[]> {
    await this.git(['add', '--all'], 'staging the changes');
    return (await this.git(['diff', '--cached', '--name-only'], 'listing the changes')).output
      .split('\n')
      .filter(Boolean);
  }

  /** A command stopped by cancellation or the deadline ends the run that way. */
  stopIfInterrupted(outcome: CommandOutcome, what: string): void {
    if (outcome.stoppedBy === 'cancelled') throw new RunStopped('cancelled', 'cancelled on request');
    if (outcome.stoppedBy === 'deadline')
      throw new RunStopped(
        'timed_out',
        `${what} was still running at the deadline (${new Date(this.deps.deadlineAt()).toISOString()})`,
      );
  }
}
