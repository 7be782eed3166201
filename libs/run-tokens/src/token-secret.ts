import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TOKEN_KEY_FILE = 'mcp-token.key';
const MIN_SECRET_BYTES = 32;

/**
 * The HMAC secret shared by the orchestrator (which mints run tokens) and mcp-context (which
 * verifies them): `MCP_TOKEN_SECRET` when set, else `<dataDir>/mcp-token.key`, created with 32
 * random bytes and mode 0600 on first use. Both services on one host read the same file.
 */
export function loadRunTokenSecret(options: { secret?: string; dataDir: string }): Buffer {
  if (options.secret !== undefined) {
    const secret = Buffer.from(options.secret, 'utf8');
    if (secret.length < MIN_SECRET_BYTES)
      throw new Error(`MCP_TOKEN_SECRET must be at least ${MIN_SECRET_BYTES} bytes`);
    return secret;
  }
  const file = join(options.dataDir, TOKEN_KEY_FILE);
  mkdirSync(options.dataDir, { recursive: true });
  // Written aside, then linked into place: two services starting at once agree on one key,
  // and neither reads a half-written file.
  const pending = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(pending, randomBytes(MIN_SECRET_BYTES).toString('base64'), { mode: 0o600 });
  try {
    linkSync(pending, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    rmSync(pending, { force: true });
  }
  const secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (secret.length < MIN_SECRET_BYTES)
    throw new Error(`${file} holds fewer than ${MIN_SECRET_BYTES} bytes of key`);
  return secret;
}
