import fs from 'node:fs';
import path from 'node:path';

/**
 * Where the local forge keeps its token when `FORGE_TOKEN` is unset (written 0600 on its first
 * start), so the CLI, the notifier and the sandbox egress proxy on the same machine can read it.
 */
export function localForgeTokenFile(dataDir: string): string {
  return path.join(dataDir, 'forge.token');
}

/**
 * The token to reach the local forge with: `configured` (FORGE_TOKEN) when set, else the one the
 * forge wrote into `dataDir`. Throws, naming both ways to provide it, when there is neither.
 */
export function resolveLocalForgeToken(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = localForgeTokenFile(dataDir);
  try {
    const token = fs.readFileSync(file, 'utf8').trim();
    if (token) return token;
  } catch {
    // no file: reported below
  }
  throw new LocalForgeTokenMissing(
    `the local forge's token is missing: set FORGE_TOKEN or start the forge so it writes ${file}`,
  );
}

export class LocalForgeTokenMissing extends Error {}
