import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Harness, HarnessEvent, HarnessRun } from '../../src/harness';

/**
 * What the harness tests (OpenCode, Codex, Claude Code outside a sandbox) share: temporary
 * folders removed at the end, a git repository to work in, a run's events, and looks into
 * /proc for the processes a run left.
 */
export class HarnessFixtures {
  private readonly temps: string[] = [];

  constructor(private readonly prefix: string) {}

  tempDir(kind: string): string {
    const dir = mkdtempSync(join(tmpdir(), `${this.prefix}-${kind}-`));
    this.temps.push(dir);
    return dir;
  }

  gitRepo(): string {
    const repo = this.tempDir('repo');
    execFileSync('git', ['init', '-q', '-b', 'main', repo]);
    return repo;
  }

  removeAll(): void {
    for (const dir of this.temps.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

export async function collect(run: HarnessRun): Promise<HarnessEvent[]> {
  const events: HarnessEvent[] = [];
  for await (const event of run.events) events.push(event);
  return events;
}

/** Running, that is: present in /proc and not a zombie waiting for its parent. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Pids whose command line contains `marker`. */
export function processesWith(marker: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

export async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A port nothing listens on: a model provider that is not there. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * What every harness promises at its deadline: a run whose model server cannot be reached ends
 * `timed_out` once the deadline passes (SIGTERM, at most a 1 s grace before SIGKILL, and slack
 * for a loaded machine), with the harness process gone.
 */
export async function expectKilledAtTheDeadline(harness: Harness, fixtures: HarnessFixtures): Promise<void> {
  const started = Date.now();
  const run = harness.start({
    prompt: 'Say hello.',
    workdir: fixtures.gitRepo(),
    model: { baseUrl: `http://127.0.0.1:${await closedPort()}/v1`, model: 'scripted' },
    deadlineMs: 4000,
    context: { runId: 'unreachable' },
  });
  const result = await run.result;
  expect(result.exit).toBe('timed_out');
  expect(result.error).toContain('deadline');
  expect(Date.now() - started).toBeGreaterThanOrEqual(4000);
  expect(Date.now() - started).toBeLessThan(4000 + 1000 + 4000);
  expect(alive(run.pid!)).toBe(false);
}

/** A harness whose binary is not there: the run ends `failed`, with the error that says so. */
export async function expectFailedWithoutItsBinary(
  harness: Harness,
  fixtures: HarnessFixtures,
): Promise<void> {
  const run = harness.start({
    prompt: 'Say hello.',
    workdir: fixtures.gitRepo(),
    model: { baseUrl: 'http://127.0.0.1:9/v1', model: 'scripted' },
    deadlineMs: 5000,
    context: { runId: 'missing-binary' },
  });
  const result = await run.result;
  expect(result.exit).toBe('failed');
  expect(result.error).toContain('ENOENT');
}
