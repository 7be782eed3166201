import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/** One value sealed with AES-256-GCM, tagged with the id of the key that sealed it. */
export interface Sealed {
  keyId: string;
  ciphertext: Uint8Array<ArrayBuffer>;
  iv: Uint8Array<ArrayBuffer>;
  authTag: Uint8Array<ArrayBuffer>;
}

export const KEY_BYTES = 32;
const IV_BYTES = 12;

export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

/** The id a lone key gets when nobody named it: a fingerprint, so two different keys never share one. */
export function fingerprintKeyId(key: Buffer): string {
  return `k${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

export function decodeKey(base64: string, what: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new KeyringError(`${what} must be ${KEY_BYTES} bytes in base64 (got ${key.length} bytes)`);
  }
  return key;
}

/**
 * Every key the broker can open, and the one it seals with. Old keys stay in the ring until
 * `tools/rotate-encryption-key.ts` has re-sealed every row under the current one, so a
 * rotation never makes a stored credential unreadable.
 */
export class Keyring {
  private readonly keys: ReadonlyMap<string, Buffer>;

  constructor(
    keys: ReadonlyMap<string, Buffer>,
    readonly currentKeyId: string,
  ) {
    for (const [id, key] of keys) {
      if (key.length !== KEY_BYTES) throw new KeyringError(`key ${id} is not ${KEY_BYTES} bytes`);
    }
    if (!keys.has(currentKeyId))
      throw new KeyringError(`the current key id ${currentKeyId} is not in the keyring`);
    this.keys = keys;
  }

  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  /** `aad` binds the ciphertext to where it is stored: moved to another row, it no longer opens. */
  seal(plaintext: string, aad: string): Sealed {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key(this.currentKeyId), iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    // Plain Uint8Arrays over their own ArrayBuffer: the type Prisma's Bytes columns take.
    return {
      keyId: this.currentKeyId,
      ciphertext: new Uint8Array(ciphertext),
      iv: new Uint8Array(iv),
      authTag: new Uint8Array(cipher.getAuthTag()),
    };
  }

  open(
    sealed: { keyId: string; ciphertext: Uint8Array; iv: Uint8Array; authTag: Uint8Array },
    aad: string,
  ): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key(sealed.keyId), sealed.iv);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(sealed.authTag);
    try {
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new KeyringError(
        `a value sealed under key ${sealed.keyId} failed authentication (wrong key or tampered row)`,
      );
    }
  }

  /** A key for another purpose (signing OAuth state), derived so it never equals a sealing key. */
  derive(label: string, keyId = this.currentKeyId): Buffer {
    return Buffer.from(hkdfSync('sha256', this.key(keyId), Buffer.alloc(0), `horizon:${label}`, KEY_BYTES));
  }

  has(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  private key(keyId: string): Buffer {
    const key = this.keys.get(keyId);
    if (!key) {
      throw new KeyringError(
        `no key with id ${keyId} in the keyring; add it to HORIZON_ENCRYPTION_KEYS until every row is rotated`,
      );
    }
    return key;
  }
}
