import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const usage = 'usage: main.ts [--port <n>] --scripts <dir-or-file>... [--var name=value]...';

/** What the standalone server was asked for. */
export interface ServerArgs {
  port: number;
  /** Absolute paths of script files and folders. */
  scripts: string[];
  vars: Record<string, string>;
}

/** Bad command-line arguments; main.ts prints the message on one line and exits with 2. */
export class UsageError extends Error {}

/** The port the demo's provider configuration expects (tools/lib/local-defaults.mjs). */
const defaultPort = 8070;

/**
 * Parses `--port <n> --scripts <path>... --var name=value ...`. `--scripts` takes every
 * following argument up to the next `--option` and may be repeated; relative paths are
 * resolved against `cwd` and must exist.
 */
export function parseServerArgs(argv: string[], cwd: string): ServerArgs {
  let port: number | undefined;
  const scripts: string[] = [];
  const vars = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      i += 1;
      return next;
    };
    if (arg === '--port') {
      if (port !== undefined) throw new UsageError('--port given twice');
      const text = value();
      port = Number(text);
      if (!/^\d+$/.test(text) || port > 65535)
        throw new UsageError(`--port ${text} is not a port number (0-65535)`);
    } else if (arg === '--scripts') {
      const start = scripts.length;
      while (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) scripts.push(value());
      if (scripts.length === start) throw new UsageError('--scripts needs at least one file or folder');
    } else if (arg === '--var') {
      const text = value();
      const match = /^([\w.-]+)=(.*)$/s.exec(text);
      if (!match) throw new UsageError(`--var ${text} is not name=value`);
      if (vars.has(match[1]!)) throw new UsageError(`--var ${match[1]} given twice`);
      vars.set(match[1]!, match[2]!);
    } else {
      throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  if (scripts.length === 0) throw new UsageError('no scripts: give --scripts <dir-or-file>...');
  const paths = scripts.map((script) => resolve(cwd, script));
  const missing = paths.find((path) => !existsSync(path));
  if (missing) throw new UsageError(`no such script file or folder: ${missing}`);
  return { port: port ?? defaultPort, scripts: paths, vars: Object.fromEntries(vars) };
}
