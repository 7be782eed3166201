import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { defaultRetroSettings, type DataOf, type sandboxSnapshotBuilt } from '@horizon/contracts';
import type { Logger } from '@horizon/observability';
import {
  CronTicks,
  InvalidScheduleError,
  planScheduleSync,
  StoredSchedule,
  withDefaultRetro,
} from '../domain';
import { ScheduleRepository } from '../persistence/schedule.repository';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../settings';
import type { UnitOfWork } from './unit-of-work';

/**
 * Keeps the schedules a repository declares in `.horizon/config.yaml` as declared at its default
 * branch's HEAD, each time sandbox-manager builds a snapshot there (it reads the file), with the
 * weekly retro every repository gets unless it has or declines one (`withDefaultRetro`). A
 * declaration whose cron or time zone does not parse is skipped with the reason logged; the
 * others still apply.
 */
@Injectable()
export class ScheduleConfigSync {
  constructor(
    private readonly schedules: ScheduleRepository,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {}

  async apply(uow: UnitOfWork, snapshot: DataOf<typeof sandboxSnapshotBuilt>, logger: Logger): Promise<void> {
    const { repo, commit } = snapshot;
    if (snapshot.schedules === undefined) return;
    const log = logger.child({ repo, commit });
    const valid = snapshot.schedules.filter((declaration) => {
      const reason = parseFailure(declaration.cron, declaration.timezone);
      if (reason) log.error({ schedule: declaration.name, reason }, 'declared schedule skipped');
      return reason === null;
    });
    const rows = await this.schedules.list(uow.tx, repo);
    // Stored rows hold what the declarations were checked against (origin, flavour as strings).
    const stored = rows as StoredSchedule[];
    // After the check: a repository whose own retro does not parse still gets the default one.
    const declared = withDefaultRetro(
      valid,
      snapshot.retro ?? defaultRetroSettings,
      this.config.RETRO_DEFAULT_CRON,
    );
    const plan = planScheduleSync(stored, declared);
    const createdBy = `config@${commit.slice(0, 12)}`;
    for (const declaration of plan.create) {
      await this.schedules.create(uow.tx, {
        id: randomUUID(),
        repo,
        ...declaration,
        ownerId: null,
        origin: 'config',
        nextTickAt: new CronTicks(declaration.cron, declaration.timezone).nextAfter(uow.now),
        createdBy,
      });
    }
    for (const { id, changes, timingChanged } of plan.update) {
      const row = rows.find((r) => r.id === id)!;
      const timing = { cron: changes.cron ?? row.cron, timezone: changes.timezone ?? row.timezone };
      await this.schedules.update(uow.tx, id, {
        ...changes,
        ...(timingChanged && !row.paused
          ? { nextTickAt: new CronTicks(timing.cron, timing.timezone).nextAfter(uow.now) }
          : {}),
      });
    }
    for (const { id } of plan.remove) await this.schedules.delete(uow.tx, id);
    for (const name of plan.shadowed)
      log.warn({ schedule: name }, 'declared schedule not applied: an API schedule has that name');
    if (plan.create.length + plan.update.length + plan.remove.length > 0)
      log.info(
        {
          created: plan.create.map((s) => s.name),
          updated: plan.update.length,
          removed: plan.remove.map((s) => s.name),
        },
        'config schedules synced',
      );
  }
}

function parseFailure(cron: string, timezone: string): string | null {
  try {
    new CronTicks(cron, timezone);
    return null;
  } catch (err) {
    if (err instanceof InvalidScheduleError) return err.message;
    throw err;
  }
}
