import { BadRequestException, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RpcError } from '@horizon/messaging';
import { OrchestratorRefusedError, OrchestratorUnavailableError } from '../messaging/orchestrator-ask';

/**
 * The orchestrator's answer to a work API request; its refusals as the status `refusals` maps
 * their code to (400 otherwise) with its reason, 503 with Retry-After while it does not answer.
 */
export async function answerFromOrchestrator<T>(
  reply: FastifyReply,
  options: {
    what: string;
    retryAfterSeconds: number;
    refusals: Record<string, new (body: object) => Error>;
  },
  ask: () => Promise<T>,
): Promise<T> {
  try {
    return await ask();
  } catch (err) {
    if (err instanceof OrchestratorRefusedError) {
      const Refusal = options.refusals[err.code] ?? BadRequestException;
      throw new Refusal({ error: err.message });
    }
    if (!(err instanceof OrchestratorUnavailableError)) throw err;
    void reply.header('retry-after', String(options.retryAfterSeconds));
    throw new ServiceUnavailableException({
      error: `${options.what} unavailable: ${err.message}; retry later`,
    });
  }
}

/** A read the orchestrator answers over RPC; 503 with Retry-After while it does not answer. */
export async function readFromOrchestrator<T>(
  reply: FastifyReply,
  options: { what: string; retryAfterSeconds: number },
  read: () => Promise<T>,
): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof RpcError)) throw error;
    void reply.header('retry-after', String(options.retryAfterSeconds));
    throw new ServiceUnavailableException({
      error: `${options.what} is unavailable: ${error.message}; retry later`,
    });
  }
}
