import { Controller, Get, Query } from '@nestjs/common';
import { usageGroupingSchema } from '@horizon/contracts';
import { z } from 'zod';
import type { Viewer } from '../application/sign-in.service';
import { UsageReader } from '../application/usage-reader';
import { CurrentViewer, Requires } from './access';
import { parse } from './work.controller';

const usageQuery = z.strictObject({
  by: usageGroupingSchema.default('repo'),
  /** Days back from now. */
  days: z.coerce.number().int().min(1).max(366).default(30),
  workItemId: z.string().uuid().optional(),
  /** A cache-breaker the item page adds as the item moves. */
  v: z.string().max(40).optional(),
});

/** Model tokens and cost, by repository, person, plan, fleet, day, item or run, in the repositories the person may see. */
@Controller('api')
export class UsageController {
  constructor(private readonly usage: UsageReader) {}

  @Requires('viewer')
  @Get('usage')
  rollup(@CurrentViewer() viewer: Viewer, @Query() query: Record<string, string>) {
    const { by, days, workItemId } = parse(usageQuery, query);
    const since = new Date(Date.now() - days * 24 * 60 * 60_000);
    return this.usage.rollup(viewer, { by, since, ...(workItemId ? { workItemId } : {}) });
  }
}
