import { Inject, Injectable } from '@nestjs/common';
import type { DataOf, sandboxModelUsage, UsageGrouping, UsageRollupRow } from '@horizon/contracts';
import { DATABASE } from '@horizon/db';
import type { Database, Tx } from '@horizon/db';

export type RecordedModelUsage = Omit<DataOf<typeof sandboxModelUsage>, 'usageId' | 'sandboxId'> & {
  id: string;
};

export interface UsageRollupQuery {
  by: UsageGrouping;
  since: Date;
  /** Only these repositories (the caller's scope); undefined: all. */
  repos?: readonly string[];
  workItemId?: string;
}

/** A planned item's plan is its parent; a plan item is its own. */
const planOf = `CASE WHEN w.kind = 'plan' THEN w.id ELSE w."parentId" END`;

const groupKey: Record<UsageGrouping, string> = {
  run: 'r.id::text',
  item: 'w.id::text',
  plan: `(${planOf})::text`,
  fleet: `w."sourceRefs"->'fleet'->>'id'`,
  repo: 'w.repo',
  person: 'w."ownerId"::text',
  day: `to_char(p.day, 'YYYY-MM-DD')`,
};

const groupLabel: Record<UsageGrouping, string> = {
  run: 'NULL',
  item: 'max(w.title)',
  plan: 'max(pw.title)',
  fleet: `max(w."sourceRefs"->'fleet'->>'title')`,
  repo: 'NULL',
  person: 'NULL',
  day: 'NULL',
};

/**
 * Per run and UTC day first, so a run's harness figures (one per run, on `Run`) are added once
 * however many days or requests it spans.
 */
const rollupSql = (by: UsageGrouping) => `
WITH p AS (
  SELECT u."runId", date_trunc('day', u.at AT TIME ZONE 'UTC') AS day,
    count(*)::int AS requests,
    sum(u."inputTokens")::bigint AS input, sum(u."outputTokens")::bigint AS output,
    sum(u."cachedInputTokens")::bigint AS cached, sum(u."cacheWriteInputTokens")::bigint AS written,
    coalesce(sum(u."costUsd"), 0) AS cost,
    (count(*) FILTER (WHERE u."costUsd" IS NULL AND u."inputTokens" + u."outputTokens" > 0))::int AS unpriced,
    row_number() OVER (PARTITION BY u."runId" ORDER BY date_trunc('day', u.at AT TIME ZONE 'UTC')) AS nth
  FROM "ModelUsage" u WHERE u.at >= $1
  GROUP BY u."runId", date_trunc('day', u.at AT TIME ZONE 'UTC')
)
SELECT ${groupKey[by]} AS key, ${groupLabel[by]} AS label, count(DISTINCT p."runId")::int AS runs, sum(p.requests)::int AS requests,
  sum(p.input)::float8 AS "inputTokens", sum(p.output)::float8 AS "outputTokens",
  sum(p.cached)::float8 AS "cachedInputTokens", sum(p.written)::float8 AS "cacheWriteInputTokens",
  sum(p.cost)::float8 AS "costUsd", sum(p.unpriced)::int AS "unpricedRequests",
  (sum(r."inputTokens") FILTER (WHERE p.nth = 1))::float8 AS "harnessInputTokens",
  (sum(r."outputTokens") FILTER (WHERE p.nth = 1))::float8 AS "harnessOutputTokens"
FROM p JOIN "Run" r ON r.id = p."runId" JOIN "WorkItem" w ON w.id = r."workItemId"
  LEFT JOIN "WorkItem" pw ON pw.id = ${planOf}
WHERE ($2::text[] IS NULL OR w.repo = ANY($2::text[])) AND ($3::uuid IS NULL OR w.id = $3::uuid)
GROUP BY 1 ORDER BY "costUsd" DESC, "inputTokens" DESC, key`;

/** Model usage as the egress proxies counted it: kept once per request, read as rollups. */
@Injectable()
export class ModelUsageRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** A usage id seen before (a redelivery, a replayed outbox row) adds nothing. */
  async record(tx: Tx, usage: RecordedModelUsage): Promise<void> {
    await tx.modelUsage.createMany({ data: [{ ...usage, at: new Date(usage.at) }], skipDuplicates: true });
  }

  async rollup(query: UsageRollupQuery): Promise<UsageRollupRow[]> {
    const rows = await this.db.prisma.$queryRawUnsafe<UsageRollupRow[]>(
      rollupSql(query.by),
      query.since,
      query.repos ? [...query.repos] : null,
      query.workItemId ?? null,
    );
    return rows.map((row) => ({
      ...row,
      harnessInputTokens: row.harnessInputTokens ?? 0,
      harnessOutputTokens: row.harnessOutputTokens ?? 0,
    }));
  }
}
