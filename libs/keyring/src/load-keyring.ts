import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { decodeKey, fingerprintKeyId, KEY_BYTES, Keyring, KeyringError } from './keyring';

export interface KeyringSettings {
  /** One key, base64; its id is its fingerprint unless HORIZON_ENCRYPTION_KEY_ID names it. */
  HORIZON_ENCRYPTION_KEY?: string;
  /** `id:base64key` pairs separated by commas: the keyring during a rotation. */
  HORIZON_ENCRYPTION_KEYS?: string;
  /** The key new rows are sealed with. */
  HORIZON_ENCRYPTION_KEY_ID?: string;
  HORIZON_DATA_DIR: string;
}

export const DEV_KEY_FILE = 'encryption.key';

/**
 * Builds the keyring from the environment. With no key configured at all (a development
 * machine), it reads — or on first start creates, mode 0600 — `$HORIZON_DATA_DIR/encryption.key`
 * and says so through `announce`: never a key written into the code.
 */
export function loadKeyring(settings: KeyringSettings, announce: (message: string) => void): Keyring {
  const keys = new Map<string, Buffer>();
  let loneKeyId: string | undefined;
  if (settings.HORIZON_ENCRYPTION_KEYS) {
    for (const pair of settings.HORIZON_ENCRYPTION_KEYS.split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const colon = pair.indexOf(':');
      if (colon <= 0)
        throw new KeyringError('HORIZON_ENCRYPTION_KEYS must be id:base64key pairs separated by commas');
      const id = pair.slice(0, colon);
      if (keys.has(id)) throw new KeyringError(`HORIZON_ENCRYPTION_KEYS names key ${id} twice`);
      keys.set(id, decodeKey(pair.slice(colon + 1), `HORIZON_ENCRYPTION_KEYS key ${id}`));
    }
  }
  if (settings.HORIZON_ENCRYPTION_KEY) {
    const key = decodeKey(settings.HORIZON_ENCRYPTION_KEY, 'HORIZON_ENCRYPTION_KEY');
    loneKeyId =
      keys.size === 0 && settings.HORIZON_ENCRYPTION_KEY_ID
        ? settings.HORIZON_ENCRYPTION_KEY_ID
        : fingerprintKeyId(key);
    keys.set(loneKeyId, key);
  }
  if (keys.size === 0) {
    const { key, created, file } = devKey(settings.HORIZON_DATA_DIR);
    const id = fingerprintKeyId(key);
    announce(
      created
        ? `no HORIZON_ENCRYPTION_KEY set: generated a development key ${id} into ${file} (mode 0600); set HORIZON_ENCRYPTION_KEY in production`
        : `no HORIZON_ENCRYPTION_KEY set: using the development key ${id} from ${file}`,
    );
    return new Keyring(new Map([[id, key]]), id);
  }
  const current =
    settings.HORIZON_ENCRYPTION_KEY_ID ?? loneKeyId ?? (keys.size === 1 ? [...keys.keys()][0]! : undefined);
  if (!current)
    throw new KeyringError(
      'HORIZON_ENCRYPTION_KEYS holds several keys: set HORIZON_ENCRYPTION_KEY_ID to the one to seal with',
    );
  return new Keyring(keys, current);
}

function devKey(dataDir: string): { key: Buffer; created: boolean; file: string } {
  const file = path.resolve(dataDir, DEV_KEY_FILE);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written aside, then hard-linked into place: link fails if the file exists, so two services
  // starting together agree on one key and neither reads a half-written file.
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(aside, randomBytes(KEY_BYTES).toString('base64') + '\n', { mode: 0o600 });
  let created = true;
  try {
    fs.linkSync(aside, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    created = false;
  } finally {
    fs.unlinkSync(aside);
  }
  return { key: decodeKey(fs.readFileSync(file, 'utf8'), file), created, file };
}
