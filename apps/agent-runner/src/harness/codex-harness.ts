import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveCodexBinary } from '@horizon/runner-launch';
import { codexArgs, codexConfig, codexDirs, codexEnv } from './codex-config';
import { readCodexLine } from './codex-events';
import { startCliTurn, type CliHarnessOptions } from './cli-turn';
import type { Harness, HarnessRun, HarnessTask } from './harness';

export type CodexHarnessOptions = CliHarnessOptions;

/**
 * Runs each turn as `codex exec --json` (OpenAI's Codex CLI) with a `CODEX_HOME` of its own
 * per run; a later turn resumes the thread from the same state folder.
 */
export class CodexHarness implements Harness {
  readonly name = 'codex';
  private readonly binary: string;

  constructor(private readonly options: CodexHarnessOptions = {}) {
    this.binary = options.binary ?? resolveCodexBinary();
  }

  start(task: HarnessTask): HarnessRun {
    return startCliTurn(task, this.options, (stateDir) => {
      const dirs = codexDirs(stateDir);
      for (const dir of [dirs.codexHome, dirs.home, dirs.tmp]) mkdirSync(dir, { recursive: true });
      const apiKeyFile =
        task.model.apiKey === undefined ? undefined : writeSecret(stateDir, task.model.apiKey);
      const mcp = task.mcp ? { ...task.mcp, runId: task.context.runId } : undefined;
      writeFileSync(join(dirs.codexHome, 'config.toml'), codexConfig(task.model, apiKeyFile, mcp), {
        mode: 0o600,
      });
      return {
        name: 'codex',
        binary: this.binary,
        args: codexArgs({
          model: task.model.model,
          workdir: task.workdir,
          ...(task.session ? { session: task.session } : {}),
        }),
        env: codexEnv({
          stateDir,
          path: this.options.path ?? process.env.PATH ?? '/usr/bin:/bin',
          taskEnv: task.env,
        }),
        onLine: (line, events, turn) => {
          const reading = readCodexLine(line, Date.now(), task.model.costPerMillionTokens);
          if (reading?.type === 'thread') turn.session = reading.id;
          else if (reading?.type === 'turn_end') {
            turn.error = reading.error;
            events.push({ type: 'error', at: Date.now(), message: reading.error ?? 'the turn failed' });
          } else if (reading?.type === 'harness') {
            if (reading.event.type === 'step_finish') turn.completed = true;
            events.push(reading.event);
          }
        },
      };
    });
  }
}

/** A 0600 file in the run's secrets folder, outside the agent's working directory. */
function writeSecret(stateDir: string, value: string): string {
  const { secrets } = codexDirs(stateDir);
  mkdirSync(secrets, { recursive: true, mode: 0o700 });
  const file = join(secrets, 'provider-key');
  writeFileSync(file, value, { mode: 0o600 });
  return file;
}
