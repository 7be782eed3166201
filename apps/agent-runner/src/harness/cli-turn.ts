import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventLog } from '@horizon/runner-launch';
import type { HarnessEvent, HarnessResult, HarnessRun, HarnessTask } from './harness';
import { usageOf } from './opencode-events';
import { lastLine, type ProcessOutcome, superviseProcess } from './supervised-process';

/** Options every harness that runs a process per turn takes. */
export interface CliHarnessOptions {
  /** The executable; default: the pinned npm package's native binary. */
  binary?: string;
  /** PATH of the agent's commands. */
  path?: string;
  /** Time between SIGTERM and SIGKILL when a run is stopped. */
  killGraceMs?: number;
}

/** How one CLI is started for a turn, given its state folder (made and, if owned, removed here). */
export interface CliTurnLaunch {
  /** Names the process in a failure: `codex exited (exit code 1): …`. */
  name: string;
  binary: string;
  args: string[];
  env: Record<string, string>;
  /** One stdout line: push the events it means and record the turn's end. */
  onLine(line: string, events: EventLog<HarnessEvent>, turn: TurnState): void;
}

/**
 * One turn of a harness that runs a process per turn (Codex, Claude Code): the prompt on stdin,
 * stdout read line by line into events, the deadline and a cancel through the supervised process
 * group. `prepare` writes the run's configuration into the state folder and says how to start it.
 * Such a process takes no message while it works: `send` answers false, and the caller gives
 * the message to another turn.
 */
export function startCliTurn(
  task: HarnessTask,
  options: CliHarnessOptions,
  prepare: (stateDir: string) => CliTurnLaunch,
): HarnessRun {
  const ownsStateDir = task.context.stateDir === undefined;
  const stateDir = task.context.stateDir ?? mkdtempSync(join(tmpdir(), `harness-${task.context.runId}-`));
  const launch = prepare(stateDir);
  const events = new EventLog<HarnessEvent>();
  const turn: TurnState = { completed: false };
  const proc = superviseProcess({
    command: launch.binary,
    args: launch.args,
    cwd: task.workdir,
    env: launch.env,
    stdin: task.prompt,
    deadlineMs: task.deadlineMs,
    ...(task.deadlineAt ? { deadlineAt: task.deadlineAt } : {}),
    ...(options.killGraceMs !== undefined ? { killGraceMs: options.killGraceMs } : {}),
    onStdoutLine: (line) => launch.onLine(line, events, turn),
  });
  const result = proc.outcome.then((outcome) => {
    events.close();
    if (ownsStateDir) rmSync(stateDir, { recursive: true, force: true });
    return turnResult(launch.name, outcome, turn, events.snapshot(), task);
  });
  return {
    events,
    result,
    pid: proc.pid,
    cancel: () => proc.stop('cancelled'),
    send: () => Promise.resolve(false),
  };
}

/** What a CLI harness's output said about one turn's end. */
export interface TurnState {
  /** The session (thread) the turn worked in, for a later turn to resume. */
  session?: string;
  /** Its closing line said it completed. */
  completed: boolean;
  /** The failure its output gave. */
  error?: string;
}

/**
 * One turn's result for a harness that runs a process per turn (Codex, Claude Code): the
 * deadline and a cancel first, then what the output said, then how the process ended (with the
 * last line it wrote to stderr).
 */
export function turnResult(
  harness: string,
  outcome: ProcessOutcome,
  turn: TurnState,
  events: readonly HarnessEvent[],
  task: HarnessTask,
): HarnessResult {
  const session = turn.session ?? task.session;
  const base = {
    usage: usageOf(events),
    durationMs: outcome.durationMs,
    ...(session ? { session } : {}),
    unanswered: [],
  };
  if (outcome.stoppedBy === 'deadline')
    return { ...base, exit: 'timed_out', error: `deadline of ${task.deadlineMs} ms passed` };
  if (outcome.stoppedBy === 'cancelled') return { ...base, exit: 'cancelled' };
  if (turn.completed && !turn.error && outcome.code === 0) return { ...base, exit: 'completed' };
  if (turn.error) return { ...base, exit: 'failed', error: turn.error };
  const status = `${harness} exited (${outcome.code !== null ? `exit code ${outcome.code}` : `signal ${outcome.signal}`})`;
  const detail = lastLine(outcome.stderrTail);
  return { ...base, exit: 'failed', error: detail ? `${status}: ${detail}` : status };
}
