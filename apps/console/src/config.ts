import path from 'node:path';
import { baseConfig, durationMs, port, url, listenHost } from '@horizon/config';
import { z } from 'zod';

/** Everything the console's backend reads from the environment, parsed once at start. */
export const configShape = {
  ...baseConfig,
  CONSOLE_PORT: port(8050),
  CONSOLE_HOST: listenHost,
  /** Where people reach the console: sign-in links and cookies are made for this origin. */
  CONSOLE_PUBLIC_URL: url(['http', 'https']).optional(),
  /** How long a signed-in browser stays signed in without signing in again. */
  CONSOLE_SESSION_TTL_MS: durationMs(7 * 24 * 3600 * 1000),
  /** How long someone stays on a plan's presence bar after their last heartbeat (sent every ~10 s). */
  CONSOLE_PRESENCE_TIMEOUT_MS: durationMs(30_000),
  /** The built single-page app (`npm run console:build`; the bootstrap builds it when stale). */
  CONSOLE_WEB_DIR: z
    .string()
    .min(1)
    .optional()
    .describe('a folder holding the built console, index.html and assets/ (unset: apps/console/dist/web)'),
  /** The local forge (`apps/forge`), whose pull requests the pull request page reviews and merges. */
  FORGE_URL: url(['http', 'https'], 'http://127.0.0.1:8060'),
  FORGE_TOKEN: z
    .string()
    .min(16)
    .optional()
    .describe("the local forge's token (unset: read from $HORIZON_DATA_DIR/forge.token)"),
};

export type ConsoleConfig = z.infer<z.ZodObject<typeof configShape>>;

/** Where the built app is: CONSOLE_WEB_DIR, else where `npm run console:build` puts it. */
export function webDir(config: ConsoleConfig): string {
  return config.CONSOLE_WEB_DIR ?? path.join(__dirname, '..', 'dist', 'web');
}

/** The origin people use: CONSOLE_PUBLIC_URL, else the address the console listens on. */
export function publicUrl(config: ConsoleConfig): string {
  if (config.CONSOLE_PUBLIC_URL) return config.CONSOLE_PUBLIC_URL.replace(/\/$/, '');
  const host = config.CONSOLE_HOST === '0.0.0.0' ? '127.0.0.1' : config.CONSOLE_HOST;
  return `http://${host}:${config.CONSOLE_PORT}`;
}
