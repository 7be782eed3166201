import { Injectable } from '@nestjs/common';
import type { Schedule, ScheduleFiring, Tx } from '@horizon/db';

export type ScheduleRow = Schedule;
export type ScheduleFiringRow = ScheduleFiring;

export interface NewSchedule {
  readonly id: string;
  readonly repo: string;
  readonly name: string;
  readonly cron: string;
  readonly timezone: string;
  readonly title: string;
  readonly prompt: string;
  readonly flavour: string;
  readonly ownerId: string | null;
  readonly origin: 'config' | 'api';
  readonly nextTickAt: Date | null;
  readonly createdBy: string;
}

/** What a config sync may change of a schedule it declared. */
export type ScheduleChanges = Partial<
  Pick<Schedule, 'cron' | 'timezone' | 'title' | 'prompt' | 'flavour' | 'nextTickAt' | 'paused'>
>;

/** Schedules and their firings. Every method runs in the caller's transaction (or on the client). */
@Injectable()
export class ScheduleRepository {
  async create(tx: Tx, schedule: NewSchedule): Promise<ScheduleRow> {
    return tx.schedule.create({ data: schedule });
  }

  async get(tx: Tx, id: string): Promise<ScheduleRow | null> {
    return tx.schedule.findUnique({ where: { id } });
  }

  async findByName(tx: Tx, repo: string, name: string): Promise<ScheduleRow | null> {
    return tx.schedule.findUnique({ where: { repo_name: { repo, name } } });
  }

  async list(tx: Tx, repo?: string): Promise<ScheduleRow[]> {
    return tx.schedule.findMany({
      where: repo === undefined ? {} : { repo },
      orderBy: [{ repo: 'asc' }, { name: 'asc' }],
    });
  }

  async update(tx: Tx, id: string, changes: ScheduleChanges): Promise<ScheduleRow> {
    return tx.schedule.update({ where: { id }, data: changes });
  }

  async delete(tx: Tx, id: string): Promise<void> {
    await tx.schedule.delete({ where: { id } });
  }

  /** The latest firing of each schedule named. */
  async lastFirings(tx: Tx, scheduleIds: readonly string[]): Promise<Map<string, ScheduleFiringRow>> {
    if (scheduleIds.length === 0) return new Map();
    const rows = await tx.$queryRaw<ScheduleFiringRow[]>`
      SELECT DISTINCT ON ("scheduleId") "scheduleId"::text AS "scheduleId", "tickAt", "firedAt",
             "skippedTicks", "workItemId"::text AS "workItemId", "firedBy"
      FROM "ScheduleFiring" WHERE "scheduleId" = ANY(${[...scheduleIds]}::uuid[])
      ORDER BY "scheduleId", "tickAt" DESC`;
    return new Map(rows.map((r) => [r.scheduleId, r]));
  }

  /**
   * Schedules whose next tick has come, locked for this transaction. Another replica's sweep
   * skips the rows this one holds rather than waiting for them.
   */
  async lockDue(tx: Tx, now: Date, limit: number): Promise<ScheduleRow[]> {
    return tx.$queryRaw<ScheduleRow[]>`
      SELECT "id"::text AS "id", "repo", "name", "cron", "timezone", "title", "prompt", "flavour",
             "ownerId", "origin", "paused", "nextTickAt", "createdBy", "createdAt", "updatedAt"
      FROM "Schedule"
      WHERE NOT "paused" AND "nextTickAt" <= ${now}
      ORDER BY "nextTickAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED`;
  }

  /**
   * Records a firing unless this tick of this schedule was fired before: the primary key
   * (scheduleId, tickAt) is the lease. Returns whether this call recorded it.
   */
  async recordFiring(tx: Tx, firing: ScheduleFiringRow): Promise<boolean> {
    const inserted = await tx.$executeRaw`
      INSERT INTO "ScheduleFiring" ("scheduleId", "tickAt", "firedAt", "skippedTicks", "workItemId", "firedBy")
      VALUES (${firing.scheduleId}::uuid, ${firing.tickAt}, ${firing.firedAt}, ${firing.skippedTicks},
              ${firing.workItemId}::uuid, ${firing.firedBy})
      ON CONFLICT ("scheduleId", "tickAt") DO NOTHING`;
    return inserted === 1;
  }
}
