import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Harness, HarnessEvent, HarnessResult, HarnessRun, HarnessTask } from './harness';
import { openCodeConfig, openCodeDirs, openCodeEnv, PLUGIN_INSTALL_SEED } from './opencode-config';
import { usageOf } from './opencode-events';
import { OpenCodeTurn } from './opencode-turn';
import { lastLine, ProcessOutcome, superviseProcess } from './supervised-process';
import { EventLog, resolveOpenCodeBinary } from '@horizon/runner-launch';

export interface OpenCodeHarnessOptions {
  /** The `opencode` executable; default: the pinned npm package's binary. */
  binary?: string;
  /** PATH of the agent's commands; it must hold `rg` (Debian `ripgrep`) for grep and glob. */
  path?: string;
  /** Time between SIGTERM and SIGKILL when a run is stopped. */
  killGraceMs?: number;
}

/**
 * Runs each turn on `opencode serve` (loopback, a password of its own) driven over its HTTP
 * API, with a configuration and home of its own per run: the API is how a message reaches a
 * session while the agent works (`send`). The server lives as long as the turn; a later turn
 * continues the session from the same state folder.
 */
export class OpenCodeHarness implements Harness {
  readonly name = 'opencode';
  private readonly binary: string;

  constructor(private readonly options: OpenCodeHarnessOptions = {}) {
    this.binary = options.binary ?? resolveOpenCodeBinary();
  }

  start(task: HarnessTask): HarnessRun {
    const ownsStateDir = task.context.stateDir === undefined;
    const stateDir = task.context.stateDir ?? mkdtempSync(join(tmpdir(), `opencode-${task.context.runId}-`));
    const apiKeyFile = prepareStateDir(stateDir, task.model.apiKey);
    const mcp = task.mcp
      ? {
          url: task.mcp.url,
          tokenFile: writeSecret(stateDir, 'mcp-token', task.mcp.token),
          runId: task.context.runId,
        }
      : undefined;
    // Loopback is shared with every process of the host when there is no sandbox around.
    const password = randomBytes(24).toString('base64url');
    const env = {
      ...openCodeEnv({
        stateDir,
        config: openCodeConfig(task.model, apiKeyFile, mcp),
        path: this.options.path ?? process.env.PATH ?? '/usr/bin:/bin',
        taskEnv: task.env,
      }),
      OPENCODE_SERVER_PASSWORD: password,
    };
    const events = new EventLog<HarnessEvent>();
    let listening: (url: string) => void = () => undefined;
    const url = new Promise<string>((resolve) => (listening = resolve));
    const proc = superviseProcess({
      command: this.binary,
      args: ['serve', '--hostname', '127.0.0.1', '--port', '0'],
      cwd: task.workdir,
      env,
      deadlineMs: task.deadlineMs,
      ...(task.deadlineAt ? { deadlineAt: task.deadlineAt } : {}),
      ...(this.options.killGraceMs !== undefined ? { killGraceMs: this.options.killGraceMs } : {}),
      onStdoutLine: (line) => {
        const found = /listening on (https?:\/\/\S+)/.exec(line);
        if (found) listening(found[1]!);
      },
    });
    const turn = new OpenCodeTurn(password, events);
    const server = Promise.race([url, proc.outcome.then(() => null)]);
    const result = turn
      .drive(server, {
        prompt: task.prompt,
        title: task.context.title ?? `Horizon run ${task.context.runId}`,
        ...(task.session ? { session: task.session } : {}),
      })
      .then(() => proc.stop('finished'))
      .then(async () => {
        const outcome = await proc.outcome;
        events.close();
        if (ownsStateDir) rmSync(stateDir, { recursive: true, force: true });
        return resultOf(outcome, turn, events.snapshot(), task.deadlineMs);
      });
    return {
      events,
      result,
      pid: proc.pid,
      cancel: () => proc.stop('cancelled'),
      send: (text) => turn.send(text),
    };
  }
}

/** Lays out the run's home and returns the key file's path, if there is a key. */
function prepareStateDir(stateDir: string, apiKey: string | undefined): string | undefined {
  const dirs = openCodeDirs(stateDir);
  const openCodeConfigDir = join(dirs.config, 'opencode');
  for (const dir of [dirs.data, dirs.cache, dirs.state]) mkdirSync(dir, { recursive: true });
  mkdirSync(join(openCodeConfigDir, PLUGIN_INSTALL_SEED.nodeModules), { recursive: true });
  writeFileSync(
    join(openCodeConfigDir, PLUGIN_INSTALL_SEED.lockFile),
    JSON.stringify(PLUGIN_INSTALL_SEED.lock),
  );
  return apiKey === undefined ? undefined : writeSecret(stateDir, 'provider-key', apiKey);
}

/** A 0600 file in the run's secrets folder, outside the agent's working directory. */
function writeSecret(stateDir: string, name: string, value: string): string {
  const { secrets } = openCodeDirs(stateDir);
  mkdirSync(secrets, { recursive: true, mode: 0o700 });
  const file = join(secrets, name);
  writeFileSync(file, value, { mode: 0o600 });
  return file;
}

function resultOf(
  outcome: ProcessOutcome,
  turn: OpenCodeTurn,
  events: readonly HarnessEvent[],
  deadlineMs: number,
): HarnessResult {
  const base = {
    usage: usageOf(events),
    durationMs: outcome.durationMs,
    ...(turn.session ? { session: turn.session } : {}),
    unanswered: turn.unanswered,
  };
  if (outcome.stoppedBy === 'deadline')
    return { ...base, exit: 'timed_out', error: `deadline of ${deadlineMs} ms passed` };
  if (outcome.stoppedBy === 'cancelled') return { ...base, exit: 'cancelled' };
  const agentError = events.find((e): e is Extract<HarnessEvent, { type: 'error' }> => e.type === 'error');
  if (turn.finished && !agentError) return { ...base, exit: 'completed' };
  if (agentError) return { ...base, exit: 'failed', error: agentError.message };
  const status =
    outcome.stoppedBy === 'finished'
      ? (turn.error ?? 'stopped')
      : `opencode exited (${outcome.code !== null ? `exit code ${outcome.code}` : `signal ${outcome.signal}`})`;
  const detail = lastLine(outcome.stderrTail);
  return { ...base, exit: 'failed', error: detail ? `${status}: ${detail}` : status };
}
