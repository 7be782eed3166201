import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Prisma, DATABASE } from '@horizon/db';
import type { Database, Tx } from '@horizon/db';
import type { ScheduleDeclaration, ScheduleView } from '@horizon/contracts';
import { CronTicks, InvalidScheduleError } from '../domain';
import { ScheduleFiringRow, ScheduleRepository, ScheduleRow } from '../persistence/schedule.repository';

export type ScheduleRefusal = 'invalid_schedule' | 'schedule_exists' | 'not_found' | 'config_owned';

/** A schedule request refused; `code` is what the RPC answers, the message says what to do. */
export class ScheduleRequestError extends Error {
  constructor(
    readonly code: ScheduleRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'ScheduleRequestError';
  }
}

/** The next tick after `now`, with the expression checked first. */
function firstTick(declaration: Pick<ScheduleDeclaration, 'cron' | 'timezone'>, now: Date): Date | null {
  try {
    return new CronTicks(declaration.cron, declaration.timezone).nextAfter(now);
  } catch (err) {
    if (err instanceof InvalidScheduleError) throw new ScheduleRequestError('invalid_schedule', err.message);
    throw err;
  }
}

export function scheduleView(row: ScheduleRow, last: ScheduleFiringRow | undefined): ScheduleView {
  return {
    id: row.id,
    repo: row.repo,
    name: row.name,
    cron: row.cron,
    timezone: row.timezone,
    title: row.title,
    prompt: row.prompt,
    flavour: row.flavour as ScheduleView['flavour'],
    ownerId: row.ownerId,
    origin: row.origin as ScheduleView['origin'],
    paused: row.paused,
    nextTickAt: row.nextTickAt?.toISOString() ?? null,
    lastFiring: last
      ? {
          tickAt: last.tickAt.toISOString(),
          firedAt: last.firedAt.toISOString(),
          skippedTicks: last.skippedTicks,
          workItemId: last.workItemId,
        }
      : null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Schedules as people manage them (API, CLI) and as repositories declare them (config sync).
 * A cron expression and time zone are checked before anything is stored.
 */
@Injectable()
export class ScheduleService {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly schedules: ScheduleRepository,
  ) {}

  async create(
    input: { repo: string; schedule: ScheduleDeclaration; ownerId: string | null; requestedBy: string },
    now = new Date(),
  ): Promise<ScheduleView> {
    const { repo, schedule } = input;
    const nextTickAt = firstTick(schedule, now);
    try {
      const row = await this.schedules.create(this.db.prisma, {
        id: randomUUID(),
        repo,
        ...schedule,
        ownerId: input.ownerId,
        origin: 'api',
        nextTickAt,
        createdBy: input.requestedBy,
      });
      return scheduleView(row, undefined);
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
        throw new ScheduleRequestError(
          'schedule_exists',
          `${repo} already has a schedule named "${schedule.name}"; choose another name or delete that one`,
        );
      }
      throw err;
    }
  }

  async list(repo?: string): Promise<ScheduleView[]> {
    const rows = await this.schedules.list(this.db.prisma, repo);
    const last = await this.schedules.lastFirings(
      this.db.prisma,
      rows.map((r) => r.id),
    );
    return rows.map((r) => scheduleView(r, last.get(r.id)));
  }

  /** Pausing stops its ticks; resuming starts again from the next tick after now (none is made up). */
  async setPaused(scheduleId: string, paused: boolean, now = new Date()): Promise<ScheduleView> {
    return this.db.prisma.$transaction(async (tx) => {
      const row = await this.existing(tx, scheduleId);
      const nextTickAt = paused ? null : new CronTicks(row.cron, row.timezone).nextAfter(now);
      const updated = await this.schedules.update(tx, row.id, { paused, nextTickAt });
      return scheduleView(updated, (await this.schedules.lastFirings(tx, [row.id])).get(row.id));
    });
  }

  async delete(scheduleId: string): Promise<void> {
    await this.db.prisma.$transaction(async (tx) => {
      const row = await this.existing(tx, scheduleId);
      if (row.origin === 'config') {
        throw new ScheduleRequestError(
          'config_owned',
          `schedule "${row.name}" is declared in ${row.repo}'s .horizon/config.yaml; remove it there (or pause it)`,
        );
      }
      await this.schedules.delete(tx, row.id);
    });
  }

  private async existing(tx: Tx, scheduleId: string): Promise<ScheduleRow> {
    const row = await this.schedules.get(tx, scheduleId);
    if (!row)
      throw new ScheduleRequestError(
        'not_found',
        `no schedule ${scheduleId}; list them with \`horizon schedule list\``,
      );
    return row;
  }
}
