import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveClaudeBinary } from '@horizon/runner-launch';
import { ClaudeStreamReader } from './claude-events';
import {
  claudeArgs,
  claudeDirs,
  claudeEnv,
  claudeMcpConfig,
  claudeSettings,
  PROXY_KEY_PLACEHOLDER,
} from './claude-config';
import { startCliTurn, type CliHarnessOptions } from './cli-turn';
import type { Harness, HarnessRun, HarnessTask } from './harness';

export type ClaudeHarnessOptions = CliHarnessOptions;

/**
 * Runs each turn as Claude Code in print mode (`claude -p`, stream-json) against the run's
 * Anthropic Messages route, with a HOME of its own per run; a later turn resumes the session
 * from the same state folder.
 */
export class ClaudeCodeHarness implements Harness {
  readonly name = 'claude-code';
  private readonly binary: string;

  constructor(private readonly options: ClaudeHarnessOptions = {}) {
    this.binary = options.binary ?? resolveClaudeBinary();
  }

  start(task: HarnessTask): HarnessRun {
    return startCliTurn(task, this.options, (stateDir) => {
      const dirs = claudeDirs(stateDir);
      for (const dir of [dirs.home, dirs.tmp]) mkdirSync(dir, { recursive: true });
      mkdirSync(dirs.secrets, { recursive: true, mode: 0o700 });
      const secret = (name: string, content: string) => {
        const file = join(dirs.secrets, name);
        writeFileSync(file, content, { mode: 0o600 });
        return file;
      };
      const keyFile = secret('provider-key', task.model.apiKey ?? PROXY_KEY_PLACEHOLDER);
      const settingsFile = secret('settings.json', claudeSettings(keyFile));
      const mcpFile = task.mcp
        ? secret('mcp.json', claudeMcpConfig({ ...task.mcp, runId: task.context.runId }))
        : undefined;
      const reader = new ClaudeStreamReader(task.model.costPerMillionTokens);
      return {
        name: 'claude',
        binary: this.binary,
        args: claudeArgs({
          model: task.model.model,
          settingsFile,
          ...(mcpFile ? { mcpFile } : {}),
          ...(task.session ? { session: task.session } : {}),
        }),
        env: claudeEnv({
          stateDir,
          path: this.options.path ?? process.env.PATH ?? '/usr/bin:/bin',
          baseUrl: task.model.baseUrl,
          taskEnv: task.env,
        }),
        onLine: (line, events, turn) => {
          for (const reading of reader.read(line, Date.now())) {
            if (reading.type === 'session') turn.session = reading.id;
            else if (reading.type === 'harness') events.push(reading.event);
            else {
              events.push(reading.event);
              turn.completed = true;
              if (reading.error) {
                turn.error = reading.error;
                events.push({ type: 'error', at: Date.now(), message: reading.error });
              }
            }
          }
        },
      };
    });
  }
}
