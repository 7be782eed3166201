import type pg from 'pg';
import type { SourceRefs } from '@horizon/contracts';
import type { Notification, Route, RunSummary } from '../domain/compose';

export type Claim =
  | { kind: 'done' }
  | { kind: 'busy' }
  /** `attempts` > 1: an earlier attempt may have posted before it could record that. */
  | { kind: 'claimed'; attempts: number };

/**
 * Delivery records in Postgres (`NotificationDelivery`), written before the channel is called:
 * the unique dedupe key makes a redelivered message find its record instead of posting again,
 * and a lease keeps two deliveries of one message from running at once.
 */
export class DeliveryStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly leaseMs = 30_000,
  ) {}

  async claim(
    n: Pick<Notification, 'dedupeKey' | 'channel' | 'target' | 'updateKey'>,
    updateSeq?: number,
  ): Promise<Claim> {
    const claimed = await this.pool.query<{ attempts: number }>(
      `INSERT INTO "NotificationDelivery" ("dedupeKey", "channel", "target", "updateKey", "status", "attempts", "leaseUntil", "updateSeq")
       VALUES ($1, $2, $3, $4, 'pending', 1, now() + make_interval(secs => $5::double precision / 1000), $6)
       ON CONFLICT ("dedupeKey") DO UPDATE
         SET "attempts" = "NotificationDelivery"."attempts" + 1, "leaseUntil" = EXCLUDED."leaseUntil"
         WHERE "NotificationDelivery"."status" = 'pending'
           AND ("NotificationDelivery"."leaseUntil" IS NULL OR "NotificationDelivery"."leaseUntil" < now())
       RETURNING "attempts"`,
      [
        n.dedupeKey,
        n.channel,
        JSON.stringify(n.target),
        n.updateKey ?? null,
        this.leaseMs,
        updateSeq ?? null,
      ],
    );
    if (claimed.rows[0]) return { kind: 'claimed', attempts: claimed.rows[0].attempts };
    const existing = await this.pool.query<{ status: string }>(
      `SELECT "status" FROM "NotificationDelivery" WHERE "dedupeKey" = $1`,
      [n.dedupeKey],
    );
    return existing.rows[0]?.status === 'pending' ? { kind: 'busy' } : { kind: 'done' };
  }

  async delivered(dedupeKey: string, externalId: string | null): Promise<void> {
    await this.pool.query(
      `UPDATE "NotificationDelivery" SET "status" = 'delivered', "externalId" = $2, "deliveredAt" = now(), "leaseUntil" = NULL, "lastError" = NULL WHERE "dedupeKey" = $1`,
      [dedupeKey, externalId],
    );
  }

  /** Ends the attempt; `final` marks the record failed for good (no later delivery tries again). */
  async failed(dedupeKey: string, error: string, final: boolean): Promise<void> {
    await this.pool.query(
      `UPDATE "NotificationDelivery" SET "status" = CASE WHEN $3 THEN 'failed' ELSE "status" END, "lastError" = $2, "leaseUntil" = NULL WHERE "dedupeKey" = $1`,
      [dedupeKey, error.slice(0, 2000), final],
    );
  }

  /** Whether the record is finished (delivered, or failed for good): a delivery would skip it. */
  async settled(dedupeKey: string): Promise<boolean> {
    const res = await this.pool.query<{ status: string }>(
      `SELECT "status" FROM "NotificationDelivery" WHERE "dedupeKey" = $1`,
      [dedupeKey],
    );
    const status = res.rows[0]?.status;
    return status !== undefined && status !== 'pending';
  }

  /** Whether an update of this message from a later event than `updateSeq` is already shown. */
  async newerUpdateShown(channel: string, updateKey: string, updateSeq: number): Promise<boolean> {
    const res = await this.pool.query(
      `SELECT 1 FROM "NotificationDelivery"
       WHERE "channel" = $1 AND "updateKey" = $2 AND "status" = 'delivered' AND "updateSeq" > $3 LIMIT 1`,
      [channel, updateKey, updateSeq],
    );
    return (res.rowCount ?? 0) > 0;
  }

  async superseded(dedupeKey: string): Promise<void> {
    await this.pool.query(
      `UPDATE "NotificationDelivery" SET "status" = 'superseded', "leaseUntil" = NULL WHERE "dedupeKey" = $1`,
      [dedupeKey],
    );
  }

  /** The message an update key first posted (Slack `ts`), if it was recorded. */
  async updateTarget(channel: string, updateKey: string): Promise<string | undefined> {
    const res = await this.pool.query<{ externalId: string }>(
      `SELECT "externalId" FROM "NotificationDelivery"
       WHERE "channel" = $1 AND "updateKey" = $2 AND "status" = 'delivered' AND "externalId" IS NOT NULL
       ORDER BY "deliveredAt" ASC LIMIT 1`,
      [channel, updateKey],
    );
    return res.rows[0]?.externalId;
  }
}

/** Where each work item reports (`NotificationRoute`), learned from its lifecycle events. */
export class RouteStore {
  constructor(private readonly pool: pg.Pool) {}

  async get(workItemId: string): Promise<Route | undefined> {
    const res = await this.pool.query<{
      title: string | null;
      sourceRefs: SourceRefs;
      lastRun: RunSummary | null;
      ownerId: string | null;
    }>(
      `SELECT "title", "sourceRefs", "lastRun", "ownerId" FROM "NotificationRoute" WHERE "workItemId" = $1`,
      [workItemId],
    );
    const row = res.rows[0];
    return row && { workItemId, ...row };
  }

  /** Merges what an event says into the route and returns it. */
  async upsert(
    workItemId: string,
    change: { title?: string; sourceRefs?: SourceRefs; lastRun?: RunSummary; ownerId?: string | null },
  ): Promise<Route> {
    await this.pool.query(
      `INSERT INTO "NotificationRoute" ("workItemId", "title", "sourceRefs", "lastRun", "ownerId", "updatedAt")
       VALUES ($1, $2, COALESCE($3::jsonb, '{}'::jsonb), $4::jsonb, $5, now())
       ON CONFLICT ("workItemId") DO UPDATE SET
         "title" = COALESCE(EXCLUDED."title", "NotificationRoute"."title"),
         "sourceRefs" = "NotificationRoute"."sourceRefs" || COALESCE($3::jsonb, '{}'::jsonb),
         "lastRun" = COALESCE(EXCLUDED."lastRun", "NotificationRoute"."lastRun"),
         "ownerId" = COALESCE(EXCLUDED."ownerId", "NotificationRoute"."ownerId"),
         "updatedAt" = now()`,
      [
        workItemId,
        change.title ?? null,
        change.sourceRefs ? JSON.stringify(change.sourceRefs) : null,
        change.lastRun ? JSON.stringify(change.lastRun) : null,
        change.ownerId ?? null,
      ],
    );
    return (await this.get(workItemId))!;
  }
}
