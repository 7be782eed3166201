import { readFileSync } from 'node:fs';
import { superviseProcess } from './supervised-process';

const running = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

function sh(script: string, deadlineMs = 10_000, env: Record<string, string> = { PATH: process.env.PATH! }) {
  const lines: string[] = [];
  const proc = superviseProcess({
    command: 'sh',
    args: ['-c', script],
    cwd: '/',
    env,
    stdin: 'from stdin',
    deadlineMs,
    killGraceMs: 500,
    onStdoutLine: (l) => lines.push(l),
  });
  return { proc, lines };
}

describe('superviseProcess', () => {
  it('passes stdin and only the given environment, and delivers every line, the last unterminated one too', async () => {
    process.env.SUPERVISED_SPEC_OUTSIDE = 'leak';
    const { proc, lines } = sh(
      'cat; echo; echo "[$ONLY]" "[$SUPERVISED_SPEC_OUTSIDE]"; printf tail',
      10_000,
      { PATH: process.env.PATH!, ONLY: 'given' },
    );
    delete process.env.SUPERVISED_SPEC_OUTSIDE;
    const outcome = await proc.outcome;
    expect(lines).toEqual(['from stdin', '[given] []', 'tail']);
    expect(outcome).toMatchObject({ code: 0, stoppedBy: 'exited' });
  });

  it('keeps the end of stderr and the exit code', async () => {
    const { proc } = sh('echo first >&2; echo boom >&2; exit 7');
    expect(await proc.outcome).toMatchObject({ code: 7, stoppedBy: 'exited', stderrTail: 'first\nboom\n' });
  });

  it('kills the group and commands started in groups of their own at the deadline', async () => {
    // `setsid` puts the sleeper in a new session, as OpenCode does with the shell commands it runs.
    const { proc, lines } = sh('setsid sh -c "echo \\$\\$; exec sleep 30" & wait', 800);
    const outcome = await proc.outcome;
    expect(outcome.stoppedBy).toBe('deadline');
    expect(outcome.durationMs).toBeGreaterThanOrEqual(800);
    expect(running(proc.pid!)).toBe(false);
    expect(running(Number(lines[0]))).toBe(false);
  });

  it('stops on request, and SIGKILLs a process that ignores SIGTERM', async () => {
    const { proc, lines } = sh('trap "" TERM; echo ready; while :; do sleep 0.1; done');
    while (lines.length === 0) await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    await proc.stop('cancelled');
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(await proc.outcome).toMatchObject({ stoppedBy: 'cancelled', signal: 'SIGKILL' });
    expect(running(proc.pid!)).toBe(false);
  });
});
