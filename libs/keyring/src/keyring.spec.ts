import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fingerprintKeyId, Keyring } from './keyring';
import { loadKeyring } from './load-keyring';

describe('Keyring', () => {
  const key = randomBytes(32);
  const ring = new Keyring(new Map([['k1', key]]), 'k1');

  it('seals with a fresh IV each time and opens only with the same additional data', () => {
    const a = ring.seal('ghu_secret', 'row-1');
    const b = ring.seal('ghu_secret', 'row-1');
    expect(Buffer.from(a.iv).equals(Buffer.from(b.iv))).toBe(false);
    expect(Buffer.from(a.ciphertext).includes(Buffer.from('ghu_secret'))).toBe(false);
    expect(ring.open(a, 'row-1')).toBe('ghu_secret');
    expect(() => ring.open(a, 'row-2')).toThrow(/failed authentication/);
    const tampered = {
      ...a,
      ciphertext: Uint8Array.from(a.ciphertext, (byte, i) => (i === 0 ? byte ^ 1 : byte)),
    };
    expect(() => ring.open(tampered, 'row-1')).toThrow(/failed authentication/);
  });
});

describe('loadKeyring', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyring-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('with no key configured, generates one into the data dir (0600), says so, and reuses it', () => {
    const said: string[] = [];
    const first = loadKeyring({ HORIZON_DATA_DIR: dir }, (m) => said.push(m));
    expect(fs.statSync(path.join(dir, 'encryption.key')).mode & 0o777).toBe(0o600);
    expect(said[0]).toMatch(/generated a development key/);
    const second = loadKeyring({ HORIZON_DATA_DIR: dir }, (m) => said.push(m));
    expect(second.currentKeyId).toBe(first.currentKeyId);
    expect(said[1]).toMatch(/using the development key/);
  });

  it('names a lone key by its fingerprint and reads a keyring with a current id', () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    const announce = jest.fn();
    expect(
      loadKeyring({ HORIZON_DATA_DIR: dir, HORIZON_ENCRYPTION_KEY: a.toString('base64') }, announce)
        .currentKeyId,
    ).toBe(fingerprintKeyId(a));
    const ring = loadKeyring(
      {
        HORIZON_DATA_DIR: dir,
        HORIZON_ENCRYPTION_KEYS: `old:${a.toString('base64')},new:${b.toString('base64')}`,
        HORIZON_ENCRYPTION_KEY_ID: 'new',
      },
      announce,
    );
    expect(ring.keyIds).toEqual(['old', 'new']);
    expect(ring.currentKeyId).toBe('new');
    expect(announce).not.toHaveBeenCalled();
    expect(fs.existsSync(path.join(dir, 'encryption.key'))).toBe(false);
  });

  it('refuses a key of the wrong length and an ambiguous keyring', () => {
    expect(() =>
      loadKeyring(
        { HORIZON_DATA_DIR: dir, HORIZON_ENCRYPTION_KEY: randomBytes(16).toString('base64') },
        () => undefined,
      ),
    ).toThrow(/32 bytes/);
    const two = `a:${randomBytes(32).toString('base64')},b:${randomBytes(32).toString('base64')}`;
    expect(() =>
      loadKeyring({ HORIZON_DATA_DIR: dir, HORIZON_ENCRYPTION_KEYS: two }, () => undefined),
    ).toThrow(/HORIZON_ENCRYPTION_KEY_ID/);
  });
});
