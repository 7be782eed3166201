import { Controller, Get, Inject, Query, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { frictionGroupSchema, frictionKindSchema, orchestratorFrictionSummary } from '@horizon/contracts';
import { RpcClient } from '@horizon/messaging';
import { INGRESS_CONFIG } from '../tokens';
import type { IngressConfig } from '../config';
import { ApiTokenGuard, RequireScope } from './api-token.guard';
import { readFromOrchestrator } from './orchestrator-answer';
import { parseInput as parse } from './parse-input';
import { sinceDate, sinceParam } from './since';

export const frictionQuery = z.strictObject({
  since: sinceParam('30d'),
  repo: z.string().min(1).optional().describe('owner/name: only this repository'),
  kind: frictionKindSchema.optional().describe('only this kind of papercut'),
  minRuns: z.coerce
    .number()
    .int()
    .positive()
    .default(1)
    .describe('only papercuts met by at least this many runs'),
  limit: z.coerce.number().int().positive().max(200).default(50),
});

export const frictionReply = z.object({ since: z.string(), groups: z.array(frictionGroupSchema) });

/** The papercuts runs met, grouped across runs, as the orchestrator keeps them: what a retro reads. */
@Controller('api/v1/friction')
@UseGuards(ApiTokenGuard)
export class FrictionController {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
  ) {}

  @Get()
  @RequireScope('work:read')
  async summary(@Query() query: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const { since, repo, ...filters } = parse(frictionQuery, query, 'query');
    const from = sinceDate(since).toISOString();
    return readFromOrchestrator(
      reply,
      { what: 'friction', retryAfterSeconds: this.config.INGRESS_RETRY_AFTER_SECONDS },
      async () => {
        const { groups } = await this.rpc.call(orchestratorFrictionSummary, {
          ...filters,
          since: from,
          ...(repo ? { repos: [repo] } : {}),
        });
        return { since: from, groups };
      },
    );
  }
}
