import { execFile } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** The `horizon` bin: the bundle when it is current (npm test rebuilds it), else the sources. */
const BIN = path.join(ROOT, 'apps', 'cli', 'bin', 'horizon.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The CLI as a user runs it (`npx horizon`): a process of its own, with the worker's environment
 * and `env` over it, its output and exit code (-1 when it was killed, as at the timeout).
 */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: timeoutMs },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}
