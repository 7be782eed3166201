import type { PreviewSettings } from '@horizon/contracts';
import { superviseProcess, type SupervisedProcess } from '../harness/supervised-process';
import { shellCommand } from './commands';

/** The preview's output kept for the evidence of a preview that would not start. */
const OUTPUT_TAIL = 4000;
const POLL_MS = 200;

export interface PreviewRequest {
  settings: PreviewSettings;
  cwd: string;
  env: Record<string, string>;
  deadlineAt: () => number;
  signal: AbortSignal;
}

/** A preview that answers on its port; `stop` ends it and everything it started. */
export interface RunningPreview {
  readonly port: number;
  stop(): Promise<void>;
}

export type PreviewStart =
  { ok: true; preview: RunningPreview; readyMs: number } | { ok: false; problem: string; output: string };

/**
 * Starts the repository's preview command in the run's sandbox (its own process group, `PORT`
 * set to the declared port) and waits until `readyPath` answers 2xx or 3xx on 127.0.0.1.
 * A command that exits, or does not answer within `readyTimeoutSeconds`, is a problem with its
 * output, stopped before this returns.
 */
export async function startPreview(request: PreviewRequest): Promise<PreviewStart> {
  const { settings } = request;
  let output = '';
  const startedAt = Date.now();
  const proc = superviseProcess({
    ...shellCommand(settings.command),
    cwd: request.cwd,
    env: { ...request.env, PORT: String(settings.port) },
    deadlineMs: Math.max(1, request.deadlineAt() - Date.now()),
    deadlineAt: request.deadlineAt,
    killGraceMs: 1000,
    onStdoutLine: (line) => {
      output = (output + line + '\n').slice(-OUTPUT_TAIL);
    },
  });
  let exited = false;
  void proc.outcome.then(() => (exited = true));
  const url = `http://127.0.0.1:${settings.port}${settings.readyPath}`;
  const giveUpAt = startedAt + settings.readyTimeoutSeconds * 1000;
  while (!exited && !request.signal.aborted && Date.now() < giveUpAt) {
    if (await answers(url)) {
      return {
        ok: true,
        readyMs: Date.now() - startedAt,
        preview: { port: settings.port, stop: () => stopped(proc) },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  await stopped(proc);
  const outcome = await proc.outcome;
  const problem = exited
    ? `the preview command \`${settings.command}\` exited (${outcome.code === null ? `signal ${outcome.signal}` : `exit ${outcome.code}`}) before ${url} answered`
    : `the preview command \`${settings.command}\` did not answer ${url} with 2xx or 3xx within ${settings.readyTimeoutSeconds} s`;
  return { ok: false, problem, output: (output + outcome.stderrTail).slice(-OUTPUT_TAIL) };
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return response.status >= 200 && response.status < 400;
  } catch {
    return false;
  }
}

async function stopped(proc: SupervisedProcess): Promise<void> {
  await proc.stop('finished');
}
