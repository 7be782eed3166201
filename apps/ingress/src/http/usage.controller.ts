import { Controller, Get, Query, Res, ServiceUnavailableException, UseGuards, Inject } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { orchestratorUsageRollup, usageGroupingSchema, usageRollupRowSchema } from '@horizon/contracts';
import { RpcClient, RpcError } from '@horizon/messaging';
import { INGRESS_CONFIG } from '../tokens';
import type { IngressConfig } from '../config';
import { ApiTokenGuard, RequireScope } from './api-token.guard';
import { parseInput as parse } from './parse-input';

const ago = /^(\d{1,4})([dh])$/;

export const usageQuery = z.strictObject({
  by: usageGroupingSchema.default('repo'),
  since: z
    .string()
    .refine(
      (v) => ago.test(v) || !Number.isNaN(Date.parse(v)),
      'a span back from now (30d, 12h) or an ISO date',
    )
    .default('30d')
    .describe('30d, 12h, or an ISO date'),
  repo: z.string().min(1).optional().describe('owner/name: only this repository'),
});

export const usageReply = z.object({ since: z.string(), rows: z.array(usageRollupRowSchema) });

/** `30d` / `12h` back from `now`, or the date given. */
export function sinceDate(since: string, now = Date.now()): Date {
  const span = ago.exec(since);
  if (!span) return new Date(since);
  return new Date(now - Number(span[1]) * (span[2] === 'd' ? 86_400_000 : 3_600_000));
}

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
    try {
      const { rows } = await this.rpc.call(orchestratorUsageRollup, {
        by,
        since: from,
        ...(repo ? { repos: [repo] } : {}),
      });
      return { since: from, rows };
    } catch (error) {
      if (!(error instanceof RpcError)) throw error;
      void reply.header('retry-after', String(this.config.INGRESS_RETRY_AFTER_SECONDS));
      throw new ServiceUnavailableException({ error: `usage is unavailable: ${error.message}; retry later` });
    }
  }
}
