import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Finds the OpenCode binary of the pinned `opencode-ai` package: the platform package's
 * executable (`opencode-linux-x64`, …), which works even where npm skipped the wrapper's
 * postinstall, else the wrapper's own bin.
 */
export function resolveOpenCodeBinary(): string {
  const candidates = [
    `opencode-${process.platform}-${process.arch}`,
    `opencode-${process.platform}-${process.arch}-baseline`,
  ];
  for (const pkg of candidates) {
    try {
      const bin = join(dirname(require.resolve(`${pkg}/package.json`)), 'bin', 'opencode');
      if (existsSync(bin)) return bin;
    } catch {
      // not installed for this platform: try the next candidate
    }
  }
  return join(dirname(require.resolve('opencode-ai/package.json')), 'bin', 'opencode.exe');
}
