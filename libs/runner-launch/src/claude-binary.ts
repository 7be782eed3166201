import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Finds the native Claude Code executable of the pinned `@anthropic-ai/claude-code` package:
 * its platform package (an optional dependency, e.g. `@anthropic-ai/claude-code-linux-x64`)
 * holds one self-contained executable that runs without Node, which is what a sandbox gets
 * bound read-only. The main package's `bin/claude.exe` is a placeholder its postinstall would
 * replace, and npm leaves install scripts unrun unless approved.
 */
export function resolveClaudeBinary(): string {
  const pkg = `@anthropic-ai/claude-code-${process.platform}-${process.arch}`;
  let dir: string;
  try {
    dir = dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    throw new Error(
      `${pkg} is not installed (Claude Code has no binary for this platform, or run npm install)`,
    );
  }
  const bin = join(dir, 'claude');
  if (!existsSync(bin)) throw new Error(`${pkg} is installed without its binary ${bin}: run npm install`);
  return bin;
}
