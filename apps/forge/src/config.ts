import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { baseConfig, listenHost, port, url } from '@horizon/config';
import { localForgeTokenFile } from '@horizon/local-forge-client';
import { z } from 'zod';

/** Everything the local forge reads from the environment, parsed once at start. */
export const configShape = {
  ...baseConfig,
  FORGE_PORT: port(8060),
  FORGE_HOST: listenHost,
  FORGE_TOKEN: z
    .string()
    .min(16)
    .optional()
    .describe('a token of at least 16 characters (unset: generated into $HORIZON_DATA_DIR/forge.token)'),
  FORGE_PUBLIC_URL: url(['http', 'https']).optional(),
  FORGE_REQUIRE_APPROVAL: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true')
    .describe('true or false'),
  FORGE_DEFAULT_USER: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.\-[\]]*$/)
    .default('developer')
    .describe('a login (letters, digits, _ . - [ ])'),
};

export type ForgeConfig = z.infer<z.ZodObject<typeof configShape>>;

/** Nest injection token of the parsed `ForgeConfig`. */
export const FORGE_CONFIG = Symbol('hzn:forge-config');

/**
 * The forge's one secret: `FORGE_TOKEN` when set, else the token kept in
 * `$HORIZON_DATA_DIR/forge.token` (created 0600 on first start), so the CLI and the sandbox
 * egress proxy on the same machine can read it.
 */
export function forgeToken(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = localForgeTokenFile(dataDir);
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing) return existing;
  } catch {
    // first start: created below
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const token = `hzf_${randomBytes(24).toString('base64url')}`;
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}
