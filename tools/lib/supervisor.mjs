// `npm start` keeps each service running: one that exits unexpectedly (a crash, an OOM kill) is
// started again after a growing delay, as a process manager would, instead of taking the whole
// stack down. One that keeps exiting — more than `maxRestarts` times within `windowMs` — is
// given up on, so a broken configuration still ends with its reason rather than a restart loop.

/**
 * @param {object} options
 * @param {string} options.name
 * @param {() => import('node:child_process').ChildProcess} options.start spawns the process
 * @param {(event: { kind: 'exited' | 'restarting' | 'gave-up', code: number | null, signal: string | null, attempt: number, delayMs?: number }) => void} options.report
 * @param {number} [options.maxRestarts]
 * @param {number} [options.windowMs]
 * @param {number} [options.baseDelayMs]
 */
export function supervise({ name, start, report, maxRestarts = 5, windowMs = 60_000, baseDelayMs = 500 }) {
  const restarts = [];
  let stopping = false;
  let timer;
  let child;
  const launch = () => {
    child = start();
    child.on('exit', (code, signal) => {
      if (stopping) return;
      const now = Date.now();
      while (restarts.length && now - restarts[0] > windowMs) restarts.shift();
      const attempt = restarts.length + 1;
      report({ kind: 'exited', code, signal, attempt });
      if (restarts.length >= maxRestarts) {
        report({ kind: 'gave-up', code, signal, attempt });
        return;
      }
      const delayMs = Math.min(baseDelayMs * 2 ** restarts.length, 30_000);
      restarts.push(now);
      report({ kind: 'restarting', code, signal, attempt, delayMs });
      timer = setTimeout(() => {
        if (!stopping) launch();
      }, delayMs);
    });
  };
  launch();
  return {
    name,
    /** The process running now (a new one after each restart). */
    get child() {
      return child;
    },
    /** From now on an exit is expected: nothing is restarted. */
    stop() {
      stopping = true;
      clearTimeout(timer);
    },
  };
}
