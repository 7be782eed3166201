import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRunToken, RunTokenRejected, signRunToken } from './run-token';
import { scopesForFlavour } from './scopes';
import { loadRunTokenSecret, TOKEN_KEY_FILE } from './token-secret';

const secret = Buffer.alloc(32, 7);
const runId = '6f1c2a4e-1b7d-4d3a-9a57-0d2f4c1e8b90';
const request = {
  runId,
  scopes: scopesForFlavour('plan'),
  expiresAt: new Date(Date.now() + 60_000),
  repo: 'acme/shop',
  workspace: '/ws',
};

describe('run tokens', () => {
  it('round-trips the claims of a signed token, as a standard HS256 JWT', () => {
    const { token, tokenId } = signRunToken(secret, request);
    const [header, payload] = token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toMatchObject({
      aud: 'mcp-context',
      sub: runId,
      jti: tokenId,
    });
    expect(readRunToken(secret, token)).toMatchObject({
      runId,
      tokenId,
      scopes: request.scopes,
      repo: 'acme/shop',
      workspace: '/ws',
    });
  });

  it('refuses a tampered payload, another secret, and a token past its expiry', () => {
    const { token } = signRunToken(secret, request);
    const [h, p, s] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const widened = Buffer.from(
      JSON.stringify({ ...claims, sub: '00000000-0000-4000-8000-000000000000' }),
    ).toString('base64url');
    expect(() => readRunToken(secret, `${h}.${widened}.${s}`)).toThrow('bad token signature');
    expect(() => readRunToken(Buffer.alloc(32, 8), token)).toThrow('bad token signature');
    expect(() => readRunToken(secret, token, new Date(Date.now() + 120_000))).toThrow(/^token expired at /);
    expect(() => readRunToken(secret, 'not-a-jwt')).toThrow(RunTokenRejected);
  });

  it('refuses to mint a token that is already expired', () => {
    expect(() => signRunToken(secret, { ...request, expiresAt: new Date(Date.now() - 1) })).toThrow(
      'a run token must expire in the future',
    );
  });

  it('gives verify runs no chat or tracker scope', () => {
    expect(scopesForFlavour('verify')).toEqual(['forge:read', 'logs:read', 'repo:read']);
    expect(scopesForFlavour('implement')).toContain('chat:read');
  });
});

describe('loadRunTokenSecret', () => {
  it('creates one key file with mode 0600 and reads the same key afterwards', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-key-'));
    try {
      const first = loadRunTokenSecret({ dataDir: dir });
      expect(first).toHaveLength(32);
      expect(statSync(join(dir, TOKEN_KEY_FILE)).mode & 0o777).toBe(0o600);
      expect(loadRunTokenSecret({ dataDir: dir }).equals(first)).toBe(true);
      expect(Buffer.from(readFileSync(join(dir, TOKEN_KEY_FILE), 'utf8'), 'base64').equals(first)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prefers MCP_TOKEN_SECRET and refuses a short one', () => {
    expect(loadRunTokenSecret({ secret: 'x'.repeat(32), dataDir: '/nonexistent' }).toString()).toBe(
      'x'.repeat(32),
    );
    expect(() => loadRunTokenSecret({ secret: 'short', dataDir: '/nonexistent' })).toThrow(
      'at least 32 bytes',
    );
  });
});
