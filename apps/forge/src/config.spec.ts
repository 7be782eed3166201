import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { forgeToken } from './config';

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
