import { baseConfig, port, url } from '@horizon/config';
import { z } from 'zod';

/** Everything the local forge reads from the environment, parsed once at start. */
export const configShape = {
  ...baseConfig,
  FORGE_PORT: port(8060),
  FORGE_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('an address to listen on (0.0.0.0 for every interface)'),
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
