import {
  Body,
  ConflictException,
  Controller,
  Headers,
  HttpCode,
  Inject,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { orchestratorCreateRetro } from '@horizon/contracts';
import { RpcClient } from '@horizon/messaging';
import { INGRESS_CONFIG } from '../tokens';
import type { IngressConfig } from '../config';
import { askOrchestrator } from '../messaging/orchestrator-ask';
import { ApiTokenGuard, RequireScope } from './api-token.guard';
import type { AuthenticatedRequest } from './api-token.guard';
import { idFor } from './idempotency-key';
import { answerFromOrchestrator } from './orchestrator-answer';
import { parseInput } from './parse-input';
import { sinceDate, sinceParam } from './since';

export const createRetroBody = z.strictObject({
  repo: z
    .string()
    .regex(/^[\w.-]+\/[\w.-]+$/, 'owner/name')
    .describe('owner/name'),
  since: sinceParam('7d'),
  owner: z
    .string()
    .uuid()
    .nullable()
    .default(null)
    .describe('identity id of the human who owns the proposals'),
});

export const retroCreated = z.object({
  id: z.string().uuid(),
  papercuts: z.number().int(),
  rejected: z.array(z.string()),
});

/**
 * Retros on demand: the orchestrator records a `retro` item over the repository's papercuts and
 * answers how many it was given. 409 when there is nothing to fix.
 */
@Controller('api/v1/retros')
@UseGuards(ApiTokenGuard)
export class RetrosController {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireScope('work:write')
  async create(
    @Body() body: unknown,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    const { repo, since, owner } = parseInput(createRetroBody, body, 'retro');
    const { tokenId } = request.principal;
    const retroId = idFor(tokenId, idempotencyKey, 'retro');
    const created = await answerFromOrchestrator(
      reply,
      {
        what: 'retros are',
        retryAfterSeconds: this.config.INGRESS_RETRY_AFTER_SECONDS,
        refusals: { nothing_to_fix: ConflictException },
      },
      () =>
        askOrchestrator(this.rpc, orchestratorCreateRetro, {
          retroId,
          repo,
          since: sinceDate(since).toISOString(),
          ownerId: owner,
          requestedBy: `api-token:${tokenId}`,
        }),
    );
    void reply.header('location', `/api/v1/work-items/${created.workItemId}`);
    return { id: created.workItemId, papercuts: created.papercuts, rejected: created.rejected };
  }
}
