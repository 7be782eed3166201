import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, parseConfig } from './config';
import { baseConfig, port } from './fields';

describe('parseConfig', () => {
  const shape = { ...baseConfig, INGRESS_PORT: port(8080) };

  it('applies defaults when variables are unset or empty', () => {
    const cfg = parseConfig(shape, { NATS_URL: '' });
    expect(cfg.INGRESS_PORT).toBe(8080);
    expect(cfg.NATS_URL).toBe('nats://127.0.0.1:4222');
    expect(cfg.LOG_LEVEL).toBe('info');
  });

  it('coerces and validates values', () => {
    expect(parseConfig(shape, { INGRESS_PORT: '9999' }).INGRESS_PORT).toBe(9999);
    expect(() => parseConfig(shape, { INGRESS_PORT: 'eighty' })).toThrow(ConfigError);
  });

  it('names the variable, the value and what it expects in one line', () => {
    try {
      parseConfig(shape, { NATS_URL: 'http://localhost:4222' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as Error).message;
      expect(message).toBe(
        'config: NATS_URL="http://localhost:4222" is invalid: a URL with scheme nats:// or tls://',
      );
      expect(message).not.toContain('\n');
    }
  });

  it('reports a required variable that is missing', () => {
    const required = { HORIZON_ENCRYPTION_KEY: z.string().describe('32 bytes as base64') };
    expect(() => parseConfig(required, {})).toThrow(
      'config: HORIZON_ENCRYPTION_KEY is required: 32 bytes as base64',
    );
  });
});

describe('a service with a bad config value', () => {
  it('stops with exit code 78 and one clear line on stderr', () => {
    const main = path.join(__dirname, '..', '..', '..', 'apps', 'orchestrator', 'src', 'main.ts');
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, ['-r', '@swc-node/register', main], {
        env: {
          ...process.env,
          LOG_LEVEL: 'loud',
          SWC_NODE_PROJECT: path.join(__dirname, '..', '..', '..', 'tsconfig.base.json'),
        },
        stdio: 'pipe',
        timeout: 20000,
      });
    } catch (err) {
      const e = err as { status: number; stderr: Buffer };
      status = e.status;
      stderr = e.stderr.toString();
    }
    expect(status).toBe(78);
    expect(stderr.trim()).toBe(
      'config: LOG_LEVEL="loud" is invalid: one of fatal, error, warn, info, debug, trace, silent',
    );
  });
});
