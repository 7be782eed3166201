import { Inject, Injectable } from '@nestjs/common';
import type { RepoTrendRow, TrendBucket } from '@horizon/contracts';
import { DATABASE } from '@horizon/db';
import type { Database } from '@horizon/db';

/**
 * Runs by the day or week they ended (their tool calls, the proxy's token counts, their
 * friction and failed checks), beside items by the day or week their pull request merged
 * (state `done` with a pull request), per repository.
 */
const TRENDS = `
WITH runs AS (
  SELECT w.repo, date_trunc($2, r."finishedAt" AT TIME ZONE 'UTC') AS period, r.id, r."workItemId", r."toolCalls",
    (SELECT coalesce(sum(u."inputTokens" + u."outputTokens"), 0) FROM "ModelUsage" u WHERE u."runId" = r.id) AS tokens,
    (SELECT coalesce(sum(f.count), 0) FROM "RunFriction" f WHERE f."runId" = r.id) AS friction,
    (SELECT coalesce(sum(f.count), 0) FROM "RunFriction" f WHERE f."runId" = r.id AND f.kind = 'verification_round') AS rounds
  FROM "Run" r JOIN "WorkItem" w ON w.id = r."workItemId"
  WHERE r."finishedAt" >= $1 AND ($3::text[] IS NULL OR w.repo = ANY($3::text[]))
),
by_runs AS (
  SELECT repo, period, count(*)::int AS runs, count(DISTINCT "workItemId")::int AS items,
    avg("toolCalls")::float8 AS "toolCallsPerRun", avg(tokens)::float8 AS "tokensPerRun",
    avg(friction)::float8 AS "frictionPerRun", avg(rounds)::float8 AS "fixRoundsPerRun"
  FROM runs GROUP BY repo, period
),
by_merges AS (
  SELECT w.repo, date_trunc($2, w."stateEnteredAt" AT TIME ZONE 'UTC') AS period, count(*)::int AS merged,
    (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM w."stateEnteredAt" - w."createdAt")) / 60)::float8 AS "medianMinutesToMerge"
  FROM "WorkItem" w
  WHERE w.state = 'done' AND w."sourceRefs" ? 'pullRequest' AND w."stateEnteredAt" >= $1
    AND ($3::text[] IS NULL OR w.repo = ANY($3::text[]))
  GROUP BY w.repo, period
)
SELECT coalesce(r.repo, m.repo) AS repo, to_char(coalesce(r.period, m.period), 'YYYY-MM-DD') AS period,
  coalesce(r.runs, 0) AS runs, coalesce(r.items, 0) AS items,
  CASE WHEN r.items > 0 THEN r.runs::float8 / r.items END AS "runsPerItem",
  r."toolCallsPerRun", r."tokensPerRun", r."frictionPerRun", r."fixRoundsPerRun",
  coalesce(m.merged, 0) AS merged, m."medianMinutesToMerge"
FROM by_runs r FULL JOIN by_merges m ON m.repo = r.repo AND m.period = r.period
ORDER BY 1, 2`;

/** A repository's trends over time, read outside any transaction. */
@Injectable()
export class RepoTrendsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async trends(query: {
    since: Date;
    bucket: TrendBucket;
    repos?: readonly string[];
  }): Promise<RepoTrendRow[]> {
    return this.db.prisma.$queryRawUnsafe<RepoTrendRow[]>(
      TRENDS,
      query.since,
      query.bucket,
      query.repos ? [...query.repos] : null,
    );
  }
}
