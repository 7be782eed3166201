import { createHmac } from 'node:crypto';
import {
  horizonSignature,
  parseHorizonSignature,
  triggerDeliveryId,
  triggerVerifier,
} from './trigger-signature';

const secret = 'whsec-test';
const body = Buffer.from('{"action":"firing"}');
const now = new Date('2026-12-04T12:00:00Z');
const t = Math.floor(now.getTime() / 1000);
const hmac = (text: string) => createHmac('sha256', secret).update(text).digest('hex');
const verify = (headers: Record<string, string>, format: 'horizon' | 'sentry' = 'horizon') =>
  triggerVerifier(format, secret, 300, () => now).verify(body, headers);

describe('trigger signatures', () => {
  it('signs "<t>.<body>" as the documented scheme says', () => {
    expect(horizonSignature(secret, body, t)).toBe(`t=${t},v1=${hmac(`${t}.${body}`)}`);
  });

  it('accepts any one matching v1 among several, within the window either side', async () => {
    const good = hmac(`${t - 299}.${body}`);
    expect(await verify({ 'x-horizon-signature': `t=${t - 299},v1=${'0'.repeat(64)},v1=${good}` })).toEqual({
      ok: true,
    });
    const ahead = horizonSignature(secret, body, t + 200);
    expect(await verify({ 'x-horizon-signature': ahead })).toEqual({ ok: true });
  });

  it('names the check that failed', async () => {
    const reason = async (headers: Record<string, string>, format?: 'horizon' | 'sentry') => {
      const result = await verify(headers, format);
      return result.ok ? 'ok' : result.reason;
    };
    expect(await reason({})).toBe('missing header x-horizon-signature');
    expect(await reason({ 'x-horizon-signature': `v1=${hmac(`${t}.${body}`)}` })).toMatch(/must read t=/);
    expect(await reason({ 'x-horizon-signature': horizonSignature(secret, body, t + 400) })).toMatch(
      /400 s in the future, outside the 300 s window/,
    );
    expect(await reason({ 'x-horizon-signature': `t=${t},v1=not-hex` })).toMatch(/does not match/);
    expect(await reason({ 'x-horizon-signature': horizonSignature('other', body, t) })).toMatch(
      /does not match/,
    );
    expect(await reason({ 'sentry-hook-signature': hmac(body.toString()) }, 'sentry')).toMatch(
      /missing or malformed header sentry-hook-timestamp/,
    );
    expect(
      await reason(
        { 'sentry-hook-signature': hmac(body.toString()), 'sentry-hook-timestamp': String(t) },
        'sentry',
      ),
    ).toBe('ok');
  });

  it('identifies a horizon delivery by its header, else by its signature; a Sentry one by Request-ID', () => {
    const signature = horizonSignature(secret, body, t);
    expect(
      triggerDeliveryId('horizon', { 'x-horizon-delivery': 'd-1', 'x-horizon-signature': signature }),
    ).toBe('d-1');
    const bySignature = triggerDeliveryId('horizon', { 'x-horizon-signature': signature });
    expect(bySignature).toMatch(/^sig-[0-9a-f]{32}$/);
    expect(triggerDeliveryId('horizon', { 'x-horizon-signature': signature })).toBe(bySignature);
    expect(
      triggerDeliveryId('horizon', { 'x-horizon-signature': horizonSignature(secret, body, t + 1) }),
    ).not.toBe(bySignature);
    expect(triggerDeliveryId('sentry', { 'request-id': 'r-1' })).toBe('r-1');
    expect(parseHorizonSignature('t=1,v1=ab,v1=cd')).toEqual({ t: 1, v1: ['ab', 'cd'] });
  });
});
