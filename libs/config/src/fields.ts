import { z } from 'zod';

/** Reusable field schemas; each describes what it expects, for the one-line error. */
export const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65535).default(fallback).describe('a TCP port number (0-65535)');

export const url = (protocols: string[], fallback?: string) => {
  const schema = z.string().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol.replace(/:$/, ''));
    } catch {
      return false;
    }
  });
  // The description goes on the outermost schema: it is what the one-line error quotes.
  const expected = `a URL with scheme ${protocols.map((p) => `${p}://`).join(' or ')}`;
  return (fallback === undefined ? schema : schema.default(fallback)).describe(expected);
};

export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info')
  .describe('one of fatal, error, warn, info, debug, trace, silent');

export const streamPrefix = z
  .string()
  .regex(/^[A-Za-z0-9_]*$/)
  .default('')
  .describe('letters, digits and underscores only (it prefixes stream names and subjects)');

export const durationMs = (fallback: number) =>
  z.coerce
    .number()
    .int()
    .positive()
    .default(fallback)
    .describe('a duration in milliseconds (positive integer)');

export const positiveInt = (fallback: number) =>
  z.coerce.number().int().positive().default(fallback).describe('a positive integer');

/** What every service needs: where Postgres and NATS are, how to log, which stream prefix. */
export const baseConfig = {
  DATABASE_URL: url(['postgres', 'postgresql'], 'postgresql://postgres@127.0.0.1:5432/horizon'),
  NATS_URL: url(['nats', 'tls'], 'nats://127.0.0.1:4222'),
  HZN_STREAM_PREFIX: streamPrefix,
  LOG_LEVEL: logLevel,
  HORIZON_DATA_DIR: z.string().min(1).default('.horizon').describe('a directory path'),
};
