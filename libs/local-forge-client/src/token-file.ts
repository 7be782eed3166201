import path from 'node:path';

/**
 * Where the local forge keeps its token when `FORGE_TOKEN` is unset (written 0600 on its first
 * start), so the CLI, the notifier and the sandbox egress proxy on the same machine can read it.
 */
export function localForgeTokenFile(dataDir: string): string {
  return path.join(dataDir, 'forge.token');
}
