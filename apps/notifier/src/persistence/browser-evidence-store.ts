import type pg from 'pg';
import type { LinkedEvidence } from '../domain/compose-browser';

/**
 * The browser evidence the notifier links from pull requests (`NotificationBrowserEvidence`),
 * from `hzn.evt.sandbox.artifact_recorded`: only the ids and what each shows, the files stay in
 * the artifact store. Keyed by the publisher's artifact id, so a redelivery is kept once.
 */
export class BrowserEvidenceStore {
  constructor(private readonly pool: pg.Pool) {}

  async record(runId: string, e: LinkedEvidence): Promise<void> {
    await this.pool.query(
      `INSERT INTO "NotificationBrowserEvidence" ("artifactId", "runId", "kind", "page", "target", "round", "changedRatio")
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT ("artifactId") DO NOTHING`,
      [e.artifactId, runId, e.kind, e.page, e.target, e.round, e.changedRatio],
    );
  }

  async ofRun(runId: string): Promise<LinkedEvidence[]> {
    const res = await this.pool.query<LinkedEvidence>(
      `SELECT "artifactId", "kind", "page", "target", "round", "changedRatio"
       FROM "NotificationBrowserEvidence" WHERE "runId" = $1 ORDER BY "page", "kind"`,
      [runId],
    );
    return res.rows;
  }
}
