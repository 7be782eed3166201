import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { descendantsOf, isRunning } from './process-tree';

/** `finished`: stopped by its owner because its work was done (a server no longer needed). */
export type StopReason = 'exited' | 'deadline' | 'cancelled' | 'finished';

export interface ProcessOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stoppedBy: StopReason;
  /** The end of what the process wrote to stderr, for error messages. */
  stderrTail: string;
  durationMs: number;
}

export interface SupervisedProcessOptions {
  command: string;
  args: string[];
  cwd: string;
  /** The whole environment of the process: nothing is inherited from ours. */
  env: Record<string, string>;
  /** Written to stdin, which is then closed. */
  stdin?: string;
  deadlineMs: number;
  /**
   * Where the deadline stands now (epoch milliseconds), when it can move later than `deadlineMs`
   * from the start (a run held at its budget gets the held time back).
   */
  deadlineAt?: () => number;
  /** Time between SIGTERM and SIGKILL. */
  killGraceMs?: number;
  /** Called for each complete line of stdout (a last unterminated line included). */
  onStdoutLine: (line: string) => void;
}

export interface SupervisedProcess {
  readonly pid: number | undefined;
  readonly outcome: Promise<ProcessOutcome>;
  /** Kills the process group and the commands it started; resolves once they are gone. */
  stop(reason: Exclude<StopReason, 'exited'>): Promise<void>;
}

const STDERR_TAIL_BYTES = 8192;

/**
 * Runs a command as the leader of its own process group, bounded by a deadline. Stopping it
 * signals the whole group (SIGTERM, then SIGKILL after a grace period), so the commands the
 * agent started go with it; a group member left behind after a normal exit is killed too.
 */
export function superviseProcess(options: SupervisedProcessOptions): SupervisedProcess {
  const startedAt = Date.now();
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stoppedBy: StopReason = 'exited';
  let stderrTail = '';
  let killTimer: NodeJS.Timeout | undefined;

  child.stdin.on('error', () => undefined);
  child.stdin.end(options.stdin ?? '');
  createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', options.onStdoutLine);
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
  });

  const closed = new Promise<ProcessOutcome>((resolve) => {
    child.once('error', (error) => {
      stderrTail += `\n${error.message}`;
    });
    child.once('exit', () => killGroup(child.pid, 'SIGKILL'));
    child.once('close', (code, signal) => {
      clearTimeout(deadlineTimer);
      clearTimeout(killTimer);
      resolve({ code, signal, stoppedBy, stderrTail, durationMs: Date.now() - startedAt });
    });
  });

  // The agent's commands may sit in process groups of their own: they are found while
  // OpenCode still lives (afterwards they are orphans) and signalled by pid and by group.
  const doomed = { pids: new Set<number>(), groups: new Set<number>() };
  const signalAll = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    if (isRunning(child.pid)) {
      for (const d of descendantsOf(child.pid)) {
        doomed.pids.add(d.pid);
        doomed.groups.add(d.pgid);
      }
    }
    for (const group of [child.pid, ...doomed.groups]) killGroup(group, signal);
    for (const pid of doomed.pids) killPid(pid, signal);
  };
  const grace = options.killGraceMs ?? 2000;
  const stop = async (reason: Exclude<StopReason, 'exited'>) => {
    if (child.exitCode === null && child.signalCode === null && stoppedBy === 'exited') {
      stoppedBy = reason;
      signalAll('SIGTERM');
      killTimer = setTimeout(() => signalAll('SIGKILL'), grace);
    }
    await outcome;
  };
  const outcome = closed.then(async (result) => {
    const gone = () => ![...doomed.pids].some(isRunning);
    if (!(await until(gone, grace))) {
      signalAll('SIGKILL');
      await until(gone, grace);
    }
    return result;
  });
  let deadlineTimer: NodeJS.Timeout;
  const armDeadline = (ms: number) => {
    deadlineTimer = setTimeout(() => {
      if (!options.deadlineAt) return void stop('deadline');
      // Looked at after pending input is read: a process frozen while its run was held finds
      // its timer expired at the thaw, and the later deadline waiting on its stdin.
      setImmediate(() => {
        const left = options.deadlineAt!() - Date.now();
        if (left <= 0) void stop('deadline');
        else if (child.exitCode === null && child.signalCode === null) armDeadline(left);
      });
    }, ms);
  };
  armDeadline(options.deadlineMs);

  return { pid: child.pid, outcome, stop };
}

function killGroup(pgid: number | undefined, signal: NodeJS.Signals): void {
  if (pgid !== undefined) killPid(-pgid, signal);
}

/** Signals a pid (or, negative, a process group) that may already be gone. */
function killPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Polls `condition` until it holds (true) or `timeoutMs` passed (false). */
async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() >= end) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

/** The last non-blank line of a process's stderr tail: the reason it gives for dying. */
export function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .pop() ?? ''
  );
}
