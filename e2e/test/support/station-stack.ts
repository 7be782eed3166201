import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { LocalForgeClient } from '@horizon/local-forge-client';
import {
  createStackSandbox,
  runCli,
  startStack,
  type StackProcess,
  type StackSandbox,
} from '@horizon/testing';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * The whole stack as `npm start` runs it (no demo) with the scripted model playing
 * e2e/scripts/stations, for the station e2e suites: the forge's client, the CLI, and a
 * repository to import.
 */
export class StationStack {
  private constructor(
    readonly stack: StackSandbox,
    private readonly running: StackProcess,
    readonly pool: pg.Pool,
    readonly forgeToken: string,
  ) {}

  static async start(): Promise<StationStack> {
    const stack = await createStackSandbox({
      HORIZON_DEMO: '0',
      MODEL_SERVER_SCRIPTS: path.join(ROOT, 'e2e', 'scripts', 'stations'),
    });
    const running = startStack(stack);
    await running.waitFor('press Ctrl-C to stop', 4 * 60_000);
    const pool = new pg.Pool({ connectionString: stack.db.url, max: 1 });
    const token = fs.readFileSync(path.join(stack.dataDir, 'forge.token'), 'utf8').trim();
    return new StationStack(stack, running, pool, token);
  }

  async stop(): Promise<void> {
    await this.running.stop();
    await this.pool.end();
    await this.stack.remove();
  }

  /** The forge's API, as `user` when given (a reviewer, a merger). */
  forge(user?: string): LocalForgeClient {
    return new LocalForgeClient({
      baseUrl: `http://127.0.0.1:${this.stack.env.FORGE_PORT}`,
      token: this.forgeToken,
      ...(user ? { user } : {}),
    });
  }

  /** `owner/name` cloned over the forge's smart HTTP. */
  gitUrl(repo: string): string {
    return `http://x-access-token:${this.forgeToken}@127.0.0.1:${this.stack.env.FORGE_PORT}/${repo}.git`;
  }

  cli(args: string[], extra: Record<string, string> = {}) {
    return runCli(args, { ...this.stack.env, ...extra });
  }

  /**
   * Imports a one-commit repository of `files` (verified with `node --test`) into the forge. The
   * agent review is off: these suites are about other stations, and each review is one more
   * agent run (e2e/test/review-station.test.ts has it on).
   */
  async importRepository(repo: string, files: Record<string, string>): Promise<void> {
    const dir = fs.mkdtempSync(path.join(this.stack.dataDir, 'repo-'));
    const config = 'verify:\n  - node --test\nreview:\n  enabled: false\n';
    const all = { '.horizon/config.yaml': config, ...files };
    for (const [file, text] of Object.entries(all)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'start');
    const [owner, name] = repo.split('/') as [string, string];
    await this.forge().createRepository({ owner, name, from: dir });
  }

  /** Work items through the work API, as one API token. */
  async createWork(repo: string, titles: string[]): Promise<void> {
    const token = await this.cli(['token', 'create', '--name', `e2e-${repo}`]);
    if (token.code !== 0) throw new Error(`token create failed: ${token.stderr}`);
    for (const title of titles) {
      const created = await this.cli(['work', 'create', '--repo', repo, '--title', title, '--json'], {
        HORIZON_API_TOKEN: token.stdout.trim(),
      });
      if (created.code !== 0) throw new Error(`work create failed: ${created.stderr}`);
    }
  }
}
