import { execFile } from 'node:child_process';

export class GitError extends Error {
  constructor(
    readonly args: string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} exited ${exitCode}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
    this.name = 'GitError';
  }
}

export interface GitResult {
  stdout: string;
  exitCode: number;
}

/**
 * Runs git with no user or system configuration (the forge's behaviour must not depend on the
 * host's ~/.gitconfig). `okCodes` lists the exit codes that are answers rather than failures
 * (`merge-tree` exits 1 on a conflict).
 */
export function git(
  cwd: string,
  args: string[],
  options: { env?: Record<string, string>; okCodes?: number[]; maxBuffer?: number } = {},
): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd,
        maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_TERMINAL_PROMPT: '0',
          ...options.env,
        },
      },
      (err, stdout, stderr) => {
        const exitCode = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        if (exitCode !== null && (exitCode === 0 || options.okCodes?.includes(exitCode)))
          return resolve({ stdout, exitCode });
        reject(new GitError(args, exitCode, stderr || String(err?.message ?? '')));
      },
    );
  });
}
