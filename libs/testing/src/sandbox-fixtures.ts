import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SandboxDriver, SandboxHandle } from '@horizon/sandbox';

export const sandboxUid = 100_000;

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `hzn-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
    },
  }).trim();
}

/** A work tree with one commit per entry of `commits` (path → content). */
export function makeRepo(dir: string, commits: Array<Record<string, string>>): string[] {
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '--quiet', '--initial-branch=main');
  return commits.map((files, index) => {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    git(dir, 'add', '-A');
    git(dir, 'commit', '--quiet', '-m', `commit ${index}`);
    return git(dir, 'rev-parse', 'HEAD');
  });
}

/** A lower layer the way SnapshotStore leaves it: owned by the sandbox uid. */
export function makeLowerLayer(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  execFileSync('chown', ['-R', `${sandboxUid}:${sandboxUid}`, dir]);
}

export interface Captured {
  code: number | null;
  signal: string | null;
  outOfMemory: boolean;
  stdout: string;
  stderr: string;
}

/** Runs a shell script inside the sandbox to completion, with a deadline. */
export async function sh(
  driver: SandboxDriver,
  handle: SandboxHandle,
  script: string,
  timeoutMs = 15_000,
): Promise<Captured> {
  const process = await driver.exec(handle, ['/bin/sh', '-c', script]);
  process.stdin.end();
  let stdout = '';
  let stderr = '';
  process.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  process.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => process.kill(), timeoutMs);
  const exit = await process.exit;
  clearTimeout(timer);
  return { ...exit, stdout, stderr };
}

export function readLines(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export const smallResources = { memoryMiB: 256, cpuMillis: 1000, maxProcesses: 64 };
