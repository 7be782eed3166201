import { Inject, Injectable } from '@nestjs/common';
import type { RunOutcome } from '@horizon/contracts';
import { DATABASE } from '@horizon/db';
import type { Database } from '@horizon/db';

export interface RunHistoryQuery {
  text: string;
  repo?: string;
  outcome?: RunOutcome;
  limit: number;
}

export interface RunHistoryRow {
  id: string;
  workItemId: string;
  title: string;
  repo: string;
  flavour: string;
  outcome: RunOutcome | null;
  finishedAt: Date | null;
  rank: number;
  excerpt: string;
}

/** Every string inside a jsonb value, one per line: what full-text search reads of reports and metadata. */
const strings = (column: string) =>
  `(SELECT string_agg(v #>> '{}', E'\\n') FROM jsonb_path_query(${column}, 'strict $.** ? (@.type() == "string")') v)`;

/**
 * Postgres full-text search (english configuration, `websearch_to_tsquery`) over one document
 * per run: the work item's title, the failure reason, every string of the run's report
 * (verification results, summary), the friction it met, and its artifacts' metadata.
 */
const SEARCH = `
WITH q AS (SELECT websearch_to_tsquery('english', $1) AS query),
docs AS (
  SELECT r.id::text, r."workItemId"::text, w.title, w.repo, r.flavour::text, r.outcome::text AS outcome, r."finishedAt",
    concat_ws(E'\\n', w.title, r."failureReason", ${strings('r.report')},
      (SELECT string_agg(f.summary, E'\\n') FROM "RunFriction" f WHERE f."runId" = r.id),
      (SELECT string_agg(concat_ws(E'\\n', a.kind, ${strings('a.metadata')}), E'\\n') FROM "Artifact" a WHERE a."runId" = r.id)
    ) AS body
  FROM "Run" r JOIN "WorkItem" w ON w.id = r."workItemId"
  WHERE ($2::text IS NULL OR w.repo = $2) AND ($3::text IS NULL OR r.outcome::text = $3)
)
SELECT d.id, d."workItemId", d.title, d.repo, d.flavour, d.outcome, d."finishedAt",
  ts_rank(to_tsvector('english', d.body), q.query)::float8 AS rank,
  ts_headline('english', d.body, q.query, 'StartSel=«, StopSel=», MaxFragments=3, MaxWords=30, MinWords=8, FragmentDelimiter=" … "') AS excerpt
FROM docs d, q
WHERE to_tsvector('english', d.body) @@ q.query
ORDER BY rank DESC, d."finishedAt" DESC NULLS LAST
LIMIT $4`;

/** Past runs, searched for mcp-context's `runs_search`: a read outside any transaction. */
@Injectable()
export class RunHistoryRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async search(query: RunHistoryQuery): Promise<RunHistoryRow[]> {
    return this.db.prisma.$queryRawUnsafe<RunHistoryRow[]>(
      SEARCH,
      query.text,
      query.repo ?? null,
      query.outcome ?? null,
      query.limit,
    );
  }
}
