import { Inject, Injectable } from '@nestjs/common';
import { frictionKindSchema } from '@horizon/contracts';
import type { FrictionEvent, FrictionGroup, FrictionKind } from '@horizon/contracts';
import { DATABASE } from '@horizon/db';
import type { Database, Tx } from '@horizon/db';

export interface FrictionQuery {
  since: Date;
  /** Only these repositories (the caller's scope); undefined: all. */
  repos?: readonly string[];
  kind?: FrictionKind;
  minRuns: number;
  limit: number;
}

/** Runs kept as examples per group: enough to read the pattern, few enough for a prompt. */
const EXAMPLES = 5;

/**
 * One group per repository and signature, most runs first, with the latest runs that met it
 * (a lateral join: the examples of each group, not of all).
 */
const SUMMARY = `
WITH g AS (
  SELECT f.repo, f.kind, f.signature, count(DISTINCT f."runId")::int AS runs, sum(f.count)::int AS occurrences,
    min(f."recordedAt") AS "firstSeenAt", max(f."recordedAt") AS "lastSeenAt"
  FROM "RunFriction" f
  WHERE f."recordedAt" >= $1 AND ($2::text[] IS NULL OR f.repo = ANY($2::text[])) AND ($3::text IS NULL OR f.kind = $3)
  GROUP BY f.repo, f.kind, f.signature
  HAVING count(DISTINCT f."runId") >= $4
  ORDER BY runs DESC, occurrences DESC, "lastSeenAt" DESC, f.signature
  LIMIT $5
)
SELECT g.*, e.summary, e.examples
FROM g CROSS JOIN LATERAL (
  SELECT (array_agg(x.summary ORDER BY x.at DESC))[1] AS summary,
    jsonb_agg(jsonb_build_object('runId', x."runId", 'workItemId', x."workItemId", 'title', x.title,
      'evidence', to_jsonb(x.evidence), 'at', x.at) ORDER BY x.at DESC) AS examples
  FROM (
    SELECT f."runId", r."workItemId", w.title, f.evidence, f.summary, f."recordedAt" AS at
    FROM "RunFriction" f JOIN "Run" r ON r.id = f."runId" JOIN "WorkItem" w ON w.id = r."workItemId"
    WHERE f.repo = g.repo AND f.signature = g.signature AND f."recordedAt" >= $1
    ORDER BY f."recordedAt" DESC LIMIT ${EXAMPLES}
  ) x
) e
ORDER BY g.runs DESC, g.occurrences DESC, g."lastSeenAt" DESC, g.signature`;

/** The friction a retro proposal fixes, of the proposals people cancelled while they were planned. */
const REJECTED = `
SELECT DISTINCT s.signature
FROM "WorkItem" w CROSS JOIN LATERAL jsonb_array_elements_text(w."sourceRefs"->'retroProposal'->'friction') AS s(signature)
WHERE w.repo = $1 AND w.state = 'cancelled' AND w."sourceRefs" ? 'retroProposal'
  AND EXISTS (SELECT 1 FROM "AuditEvent" a WHERE a."workItemId" = w.id AND a."fromState" = 'planned' AND a."toState" = 'cancelled')`;

interface SummaryRow {
  repo: string;
  kind: string;
  signature: string;
  runs: number;
  occurrences: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  summary: string;
  examples: { runId: string; workItemId: string; title: string; evidence: number[]; at: string }[];
}

/** The papercuts runs met: kept per run and signature, read as groups across runs. */
@Injectable()
export class RunFrictionRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** In the transaction that records the run's end; a run's events again change nothing. */
  async record(
    tx: Tx,
    run: { id: string; repo: string },
    at: Date,
    events: readonly FrictionEvent[],
  ): Promise<void> {
    if (events.length === 0) return;
    await tx.runFriction.createMany({
      data: events.map((e) => ({
        runId: run.id,
        repo: run.repo,
        recordedAt: at,
        signature: e.signature,
        kind: e.kind,
        summary: e.summary,
        count: e.count,
        evidence: e.evidence,
      })),
      skipDuplicates: true,
    });
  }

  /** Signatures whose proposed fixes people rejected on `repo`: later retros leave them alone. */
  async rejected(tx: Tx, repo: string): Promise<Set<string>> {
    const rows = await tx.$queryRawUnsafe<{ signature: string }[]>(REJECTED, repo);
    return new Set(rows.map((r) => r.signature));
  }

  async summary(
    query: FrictionQuery,
    tx: Tx | Database['prisma'] = this.db.prisma,
  ): Promise<FrictionGroup[]> {
    const rows = await tx.$queryRawUnsafe<SummaryRow[]>(
      SUMMARY,
      query.since,
      query.repos ? [...query.repos] : null,
      query.kind ?? null,
      query.minRuns,
      query.limit,
    );
    return rows.map((row) => ({
      kind: frictionKindSchema.parse(row.kind),
      signature: row.signature,
      summary: row.summary,
      repo: row.repo,
      runs: row.runs,
      occurrences: row.occurrences,
      firstSeenAt: row.firstSeenAt.toISOString(),
      lastSeenAt: row.lastSeenAt.toISOString(),
      examples: row.examples.map((x) => ({ ...x, at: new Date(x.at).toISOString() })),
    }));
  }
}
