import { Controller, Get, Inject, Query, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { orchestratorRepoTrends, repoTrendRowSchema, trendBucketSchema } from '@horizon/contracts';
import { RpcClient } from '@horizon/messaging';
import { INGRESS_CONFIG } from '../tokens';
import type { IngressConfig } from '../config';
import { ApiTokenGuard, RequireScope } from './api-token.guard';
import { readFromOrchestrator } from './orchestrator-answer';
import { parseInput as parse } from './parse-input';
import { sinceDate, sinceParam } from './since';

export const trendsQuery = z.strictObject({
  since: sinceParam('90d'),
  bucket: trendBucketSchema.default('week').describe('day or week (weeks start on Monday, UTC)'),
  repo: z.string().min(1).optional().describe('owner/name: only this repository'),
});

export const trendsReply = z.object({ since: z.string(), rows: z.array(repoTrendRowSchema) });

/** How each repository's runs go over time, as the orchestrator reads them from its records. */
@Controller('api/v1/trends')
@UseGuards(ApiTokenGuard)
export class TrendsController {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(INGRESS_CONFIG) private readonly config: IngressConfig,
  ) {}

  @Get()
  @RequireScope('work:read')
  async trends(@Query() query: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const { since, bucket, repo } = parse(trendsQuery, query, 'query');
    const from = sinceDate(since).toISOString();
    return readFromOrchestrator(
      reply,
      { what: 'trends', retryAfterSeconds: this.config.INGRESS_RETRY_AFTER_SECONDS },
      async () => {
        const { rows } = await this.rpc.call(orchestratorRepoTrends, {
          since: from,
          bucket,
          ...(repo ? { repos: [repo] } : {}),
        });
        return { since: from, rows };
      },
    );
  }
}
