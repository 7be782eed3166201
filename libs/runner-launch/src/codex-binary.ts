import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Rust target triples of the `@openai/codex` platform packages, by Node's platform and arch. */
const TARGETS: Record<string, { pkg: string; triple: string }> = {
  'linux-x64': { pkg: '@openai/codex-linux-x64', triple: 'x86_64-unknown-linux-musl' },
  'linux-arm64': { pkg: '@openai/codex-linux-arm64', triple: 'aarch64-unknown-linux-musl' },
  'darwin-x64': { pkg: '@openai/codex-darwin-x64', triple: 'x86_64-apple-darwin' },
  'darwin-arm64': { pkg: '@openai/codex-darwin-arm64', triple: 'aarch64-apple-darwin' },
};

/**
 * Finds the native Codex binary of the pinned `@openai/codex` package: its platform package
 * (an optional dependency) holds a static executable that runs without Node, which is what a
 * sandbox gets bound read-only; the package's `bin/codex.js` is only a Node launcher for it.
 */
export function resolveCodexBinary(): string {
  const target = TARGETS[`${process.platform}-${process.arch}`];
  if (!target) throw new Error(`@openai/codex has no native binary for ${process.platform}-${process.arch}`);
  const bin = join(
    dirname(require.resolve(`${target.pkg}/package.json`)),
    'vendor',
    target.triple,
    'bin',
    'codex',
  );
  if (!existsSync(bin))
    throw new Error(`${target.pkg} is installed without its binary ${bin}: run npm install`);
  return bin;
}
