import pino, { Logger, LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Keys every log line may carry so a run can be followed across services: `service` always,
 * the rest where known (pass them to `logger.child({...})`).
 */
export interface LogContext {
  correlationId?: string;
  workItemId?: string;
  runId?: string;
  envelopeId?: string;
  subject?: string;
}

export function createLogger(
  service: string,
  level: string = process.env.LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream,
): Logger {
  const options: LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: ['*.token', '*.password', '*.secret', '*.authorization', 'headers.authorization', '*.apiKey'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Picks the log context out of an envelope and its data. */
export function envelopeLogContext(envelope: {
  id: string;
  subject: string;
  correlationId: string;
  data: unknown;
}): LogContext {
  const data = (envelope.data ?? {}) as Record<string, unknown>;
  const ctx: LogContext = {
    envelopeId: envelope.id,
    subject: envelope.subject,
    correlationId: envelope.correlationId,
  };
  if (typeof data.workItemId === 'string') ctx.workItemId = data.workItemId;
  if (typeof data.runId === 'string') ctx.runId = data.runId;
  return ctx;
}
