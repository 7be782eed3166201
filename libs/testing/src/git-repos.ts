import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * git with no user configuration and no prompt, in `cwd`. Asynchronous: a server under test in
 * the same process (or one it waits on) must answer while git waits.
 */
export async function gitIn(cwd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await promisify(execFile)('git', args, { cwd, encoding: 'utf8', env: gitEnv(cwd, env) });
  return stdout.trim();
}

function gitEnv(cwd: string, env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: cwd,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'Dev',
    GIT_AUTHOR_EMAIL: 'dev@example.com',
    GIT_COMMITTER_NAME: 'Dev',
    GIT_COMMITTER_EMAIL: 'dev@example.com',
    ...env,
  };
}

function gitSync(cwd: string, args: string[]): void {
  execFileSync('git', args, { cwd, stdio: 'ignore', env: gitEnv(cwd, {}) });
}

/** A small git repository with one commit on `main`, in a new temp folder. */
export function sampleRepository(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-src-'));
  gitSync(dir, ['init', '-q', '-b', 'main']);
  fs.writeFileSync(path.join(dir, 'README.md'), '# sample\n');
  fs.writeFileSync(path.join(dir, 'add.ts'), 'export const add = (a: number, b: number) => a + b;\n');
  gitSync(dir, ['add', '.']);
  gitSync(dir, ['commit', '-q', '-m', 'initial']);
  return dir;
}
