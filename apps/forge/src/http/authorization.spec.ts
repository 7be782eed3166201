import { checkAuthorization } from './authorization';

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
