import type pg from 'pg';
import { RunMatch } from './records';
import { MAX_SOURCE_ITEMS, RunHistory } from './ports';

/** Every string inside a jsonb value, one per line: what full-text search reads of reports and metadata. */
const strings = (column: string) =>
  `(SELECT string_agg(v #>> '{}', E'\\n') FROM jsonb_path_query(${column}, 'strict $.** ? (@.type() == "string")') v)`;

/**
 * Past runs by Postgres full-text search (english configuration, `websearch_to_tsquery`) over
 * one document per run: the work item's title, the failure reason, every string of the run's
 * report (verification results, friction notes, summary) and of its artifacts' metadata.
 */
const SEARCH = `
WITH q AS (SELECT websearch_to_tsquery('english', $1) AS query),
docs AS (
  SELECT r.id, r."workItemId", w.title, w.repo, r.flavour, r.outcome::text AS outcome, r."finishedAt",
    concat_ws(E'\\n', w.title, r."failureReason", ${strings('r.report')},
      (SELECT string_agg(concat_ws(E'\\n', a.kind, ${strings('a.metadata')}), E'\\n') FROM "Artifact" a WHERE a."runId" = r.id)
    ) AS body
  FROM "Run" r JOIN "WorkItem" w ON w.id = r."workItemId"
  WHERE ($2::text IS NULL OR w.repo = $2) AND ($3::text IS NULL OR r.outcome::text = $3)
)
SELECT d.id, d."workItemId", d.title, d.repo, d.flavour, d.outcome, d."finishedAt",
  ts_rank(to_tsvector('english', d.body), q.query) AS rank,
  ts_headline('english', d.body, q.query, 'StartSel=«, StopSel=», MaxFragments=3, MaxWords=30, MinWords=8, FragmentDelimiter=" … "') AS excerpt
FROM docs d, q
WHERE to_tsvector('english', d.body) @@ q.query
ORDER BY rank DESC, d."finishedAt" DESC NULLS LAST
LIMIT ${MAX_SOURCE_ITEMS}`;

export class PgRunHistory implements RunHistory {
  constructor(private readonly pool: pg.Pool) {}

  async search(query: { text: string; repo?: string; outcome?: string }): Promise<RunMatch[]> {
    const { rows } = await this.pool.query<{
      id: string;
      workItemId: string;
      title: string;
      repo: string;
      flavour: string;
      outcome: string | null;
      finishedAt: Date | null;
      rank: number;
      excerpt: string;
    }>(SEARCH, [query.text, query.repo ?? null, query.outcome ?? null]);
    return rows.map((r) => ({
      runId: r.id,
      workItemId: r.workItemId,
      title: r.title,
      repo: r.repo,
      flavour: r.flavour,
      outcome: r.outcome,
      finishedAt: r.finishedAt?.toISOString() ?? null,
      rank: Number(r.rank),
      excerpt: r.excerpt,
    }));
  }
}
