import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkAuthorization, forgeToken } from './auth';

const token = 'hzf_0123456789abcdef';
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

describe('checkAuthorization', () => {
  it('accepts the token as bearer, token or Basic password, and names a Basic user', () => {
    expect(checkAuthorization(`Bearer ${token}`, token)).toEqual({ ok: true, user: null });
    expect(checkAuthorization(`token ${token}`, token)).toEqual({ ok: true, user: null });
    expect(checkAuthorization(basic('x-access-token', token), token)).toEqual({ ok: true, user: null });
    expect(checkAuthorization(basic('ann', token), token)).toEqual({ ok: true, user: 'ann' });
  });

  it('refuses anything else', () => {
    for (const h of [
      undefined,
      '',
      `Bearer ${token}x`,
      basic('x-access-token', 'wrong'),
      'Digest abc',
      'Basic !!!',
    ])
      expect(checkAuthorization(h, token).ok).toBe(false);
  });
});

describe('forgeToken', () => {
  it('generates a 0600 token file once and reads it back; a configured token wins', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-token-'));
    try {
      const first = forgeToken(undefined, dir);
      expect(first).toMatch(/^hzf_/);
      expect(fs.statSync(path.join(dir, 'forge.token')).mode & 0o777).toBe(0o600);
      expect(forgeToken(undefined, dir)).toBe(first);
      expect(forgeToken('configured-token-123456', dir)).toBe('configured-token-123456');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
