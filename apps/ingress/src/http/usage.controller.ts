import { Controller, Get, Query, Res, UseGuards, Inject } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { orchestratorUsageRollup, usageGroupingSchema, usageRollupRowSchema } from '@horizon/contracts';
import { RpcClient } from '@horizon/messaging';
import { INGRESS_CONFIG } from '../tokens';
import type { IngressConfig } from '../config';
import { ApiTokenGuard, RequireScope } from './api-token.guard';
import { readFromOrchestrator } from './orchestrator-answer';
import { parseInput as parse } from './parse-input';
import { sinceDate, sinceParam } from './since';

export const usageQuery = z.strictObject({
  by: usageGroupingSchema.default('repo'),
  since: sinceParam('30d'),
  repo: z.string().min(1).optional().describe('owner/name: only this repository'),
});

export const usageReply = z.object({ since: z.string(), rows: z.array(usageRollupRowSchema) });

/** Model usage, as the orchestrator rolls up what the egress proxies counted. */
@Controller('api/v1/usage')
@UseGuards(ApiTokenGuard)
export class UsageController {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
  ) {}

  @Get()
  @RequireScope('work:read')
  async rollup(@Query() query: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const { by, since, repo } = parse(usageQuery, query, 'query');
    const from = sinceDate(since).toISOString();
    return readFromOrchestrator(
      reply,
      { what: 'usage', retryAfterSeconds: this.config.INGRESS_RETRY_AFTER_SECONDS },
      async () => {
        const { rows } = await this.rpc.call(orchestratorUsageRollup, {
          by,
          since: from,
          ...(repo ? { repos: [repo] } : {}),
        });
        return { since: from, rows };
      },
    );
  }
}
