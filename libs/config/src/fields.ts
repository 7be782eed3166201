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

/**
 * The address a service's HTTP surface listens on: loopback by default (a single host), 0.0.0.0
 * in a container, where health probes and other services come from outside.
 */
export const listenHost = z
  .string()
  .min(1)
  .default('127.0.0.1')
  .describe('an address to listen on (0.0.0.0 for every interface)');

export const durationMs = (fallback: number) =>
  z.coerce
    .number()
    .int()
    .positive()
    .default(fallback)
    .describe('a duration in milliseconds (positive integer)');

export const positiveInt = (fallback: number) =>
  z.coerce.number().int().positive().default(fallback).describe('a positive integer');

/** Unset or empty: no limit. */
const unsetIsNone = (value: unknown) => (value === '' ? undefined : value);

/** A budget limit in tokens; unset: none. */
export const tokenLimit = () =>
  z
    .preprocess(unsetIsNone, z.coerce.number().int().positive().optional())
    .describe('a number of tokens (unset: no limit)');

/** A budget limit in US dollars; unset: none. */
export const usdLimit = () =>
  z
    .preprocess(unsetIsNone, z.coerce.number().positive().optional())
    .describe('US dollars, e.g. 2.50 (unset: no limit)');

/** A run's wall-time limit in minutes; unset: none. */
export const minutesLimit = () =>
  z
    .preprocess(unsetIsNone, z.coerce.number().int().positive().optional())
    .describe('minutes of the run working, not held (unset: no limit)');

/**
 * The model budgets every repository gets unless its `.horizon/config.yaml` says otherwise
 * (`budgets:`): per run, per work item, per repository ("project") per UTC month, per person per
 * UTC day; a run's wall time too. A run that reaches one is held and its owner asked (docs/cost.md).
 */
export const budgetConfig = {
  BUDGET_RUN_TOKENS: tokenLimit(),
  BUDGET_RUN_COST_USD: usdLimit(),
  BUDGET_RUN_MINUTES: minutesLimit(),
  BUDGET_ITEM_TOKENS: tokenLimit(),
  BUDGET_ITEM_COST_USD: usdLimit(),
  BUDGET_PROJECT_TOKENS: tokenLimit(),
  BUDGET_PROJECT_COST_USD: usdLimit(),
  BUDGET_PERSON_DAY_TOKENS: tokenLimit(),
  BUDGET_PERSON_DAY_COST_USD: usdLimit(),
  /** How long a run held at a budget waits for its owner before it is stopped (its work saved). */
  BUDGET_ANSWER_TIMEOUT_MS: durationMs(24 * 60 * 60_000),
};

/**
 * What the budget question's Continue button (Slack) grants: dollars and tokens, each counting
 * where a limit of its kind applies, or minutes when the run reached its wall time.
 */
export const budgetContinueConfig = {
  BUDGET_CONTINUE_EXTRA_USD: z.coerce.number().positive().default(2).describe('US dollars, e.g. 2.50'),
  BUDGET_CONTINUE_EXTRA_TOKENS: positiveInt(200_000),
  BUDGET_CONTINUE_EXTRA_MINUTES: positiveInt(15),
};

/** What every service needs: where Postgres and NATS are, how to log, which stream prefix. */
export const baseConfig = {
  DATABASE_URL: url(['postgres', 'postgresql'], 'postgresql://postgres@127.0.0.1:5432/horizon'),
  NATS_URL: url(['nats', 'tls'], 'nats://127.0.0.1:4222'),
  HZN_STREAM_PREFIX: streamPrefix,
  /** On a JetStream cluster, 3: each stream survives the loss of one server (docs/kubernetes.md). */
  HZN_STREAM_REPLICAS: z.coerce
    .number()
    .int()
    .min(1)
    .max(5)
    .default(1)
    .describe('how many NATS servers keep each stream: 1 to 5 (3 on a three-node cluster)'),
  LOG_LEVEL: logLevel,
  HORIZON_DATA_DIR: z.string().min(1).default('.horizon').describe('a directory path'),
};
