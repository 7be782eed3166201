import { superviseProcess, type StopReason } from '../harness/supervised-process';

/** Output kept per command: the end, where failures are reported. */
const OUTPUT_TAIL = 64 * 1024;

export interface CommandOutcome {
  /** null when a signal ended it. */
  exitCode: number | null;
  stoppedBy: StopReason;
  /** The end of stdout (and stderr, for shell commands, which merge it). */
  output: string;
  stderr: string;
  durationMs: number;
}

export interface CommandRequest {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  stdin?: string;
  /** Epoch milliseconds past which the command is killed (`stoppedBy: 'deadline'`). */
  deadlineAt: number;
  /** Aborting kills the command and everything it started (`stoppedBy: 'cancelled'`). */
  signal: AbortSignal;
}

/** Runs a command to its end, its deadline, or cancellation, keeping the end of its output. */
export async function runCommand(request: CommandRequest): Promise<CommandOutcome> {
  let output = '';
  const proc = superviseProcess({
    command: request.command,
    args: request.args,
    cwd: request.cwd,
    env: request.env,
    stdin: request.stdin ?? '',
    deadlineMs: Math.max(1, request.deadlineAt - Date.now()),
    killGraceMs: 1000,
    onStdoutLine: (line) => {
      output = (output + line + '\n').slice(-OUTPUT_TAIL);
    },
  });
  const cancel = () => void proc.stop('cancelled');
  if (request.signal.aborted) cancel();
  request.signal.addEventListener('abort', cancel);
  try {
    const outcome = await proc.outcome;
    return {
      exitCode: outcome.code,
      stoppedBy: outcome.stoppedBy,
      output,
      stderr: outcome.stderrTail,
      durationMs: outcome.durationMs,
    };
  } finally {
    request.signal.removeEventListener('abort', cancel);
  }
}

/** A `.horizon/config.yaml` command line, through the shell, stderr merged into stdout. */
export function shellCommand(line: string): { command: string; args: string[] } {
  return { command: '/bin/sh', args: ['-c', 'exec 2>&1\n' + line] };
}
