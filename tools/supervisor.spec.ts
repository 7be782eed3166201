import { spawn } from 'node:child_process';
import type { supervise as superviseFn } from './lib/supervisor.mjs' with { 'resolution-mode': 'import' };

type Supervise = typeof superviseFn;

type Report = { kind: string; attempt: number; delayMs?: number; code: number | null };

/** Real child processes (node -e), restarted or given up on as npm start does with services. */
describe('npm start supervisor', () => {
  // An ES module (tools/ runs before node_modules exists, as plain Node): imported dynamically.
  let supervise: Supervise;
  beforeAll(async () => {
    ({ supervise } = await import('./lib/supervisor.mjs'));
  });
  const node = (code: string) => () => spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  const until = async (probe: () => boolean, ms = 10_000) => {
    const end = Date.now() + ms;
    while (!probe() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    if (!probe()) throw new Error('timed out');
  };

  it('starts a crashed service again, with a growing delay, and it keeps running', async () => {
    const reports: Report[] = [];
    let starts = 0;
    const supervisor = supervise({
      name: 'crashy',
      baseDelayMs: 20,
      // The first two starts crash; the third stays up.
      start: () => (++starts <= 2 ? node('process.exit(3)') : node('setTimeout(() => {}, 60000)'))(),
      report: (r: Report) => reports.push(r),
    });
    await until(() => starts === 3);
    const third = supervisor.child;
    await new Promise((r) => setTimeout(r, 200));
    expect(third.exitCode).toBeNull();
    expect(reports.map((r) => [r.kind, r.attempt, r.delayMs ?? null, r.code])).toEqual([
      ['exited', 1, null, 3],
      ['restarting', 1, 20, 3],
      ['exited', 2, null, 3],
      ['restarting', 2, 40, 3],
    ]);
    supervisor.stop();
    third.kill('SIGKILL');
    await new Promise((r) => third.once('exit', r));
    expect(starts).toBe(3);
  });

  it('gives up on one that keeps exiting, and restarts nothing once stopping', async () => {
    const reports: Report[] = [];
    let starts = 0;
    supervise({
      name: 'broken',
      baseDelayMs: 5,
      maxRestarts: 2,
      start: () => (starts++, node('process.exit(78)'))(),
      report: (r: Report) => reports.push(r),
    });
    await until(() => reports.some((r) => r.kind === 'gave-up'));
    expect(starts).toBe(3);
    expect(reports.at(-1)).toMatchObject({ kind: 'gave-up', attempt: 3, code: 78 });

    const stopped = supervise({
      name: 'stopped',
      start: () => node('setTimeout(() => process.exit(1), 100)')(),
      report: (r: Report) => reports.push(r),
    });
    const before = reports.length;
    stopped.stop();
    await new Promise((r) => stopped.child.once('exit', r));
    await new Promise((r) => setTimeout(r, 100));
    expect(reports.length).toBe(before);
  });
});
