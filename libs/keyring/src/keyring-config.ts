import { z } from 'zod';

const optional = (what: string) => z.string().min(1).optional().describe(what);

/** The environment a keyring is loaded from (`loadKeyring`), for every service that seals secrets. */
export const keyringConfigShape = {
  HORIZON_ENCRYPTION_KEY: optional('32 bytes, base64'),
  HORIZON_ENCRYPTION_KEYS: optional('id:base64key pairs separated by commas'),
  HORIZON_ENCRYPTION_KEY_ID: optional('the id of the key new rows are sealed with'),
};
