import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DATABASE } from '@horizon/db';
import type { Database } from '@horizon/db';
import { LOGGER } from '@horizon/observability';
import type { Logger } from '@horizon/observability';
import { FleetRepository } from '../persistence/fleet.repository';
import { ORCHESTRATOR_CONFIG } from '../settings';
import type { OrchestratorConfig } from '../settings';
import { PeriodicPass } from './periodic-pass';
import { Transactor } from './unit-of-work';
import { WorkItemService } from './work-item.service';

/** Children recorded per transaction: small enough to keep each short, large enough to fan out fast. */
const BATCH = 25;
const FLEETS_PER_PASS = 20;

/**
 * Fans fleets out: records each child's work item (`fleet_child`, queued; the scheduler starts
 * it under the fleet cap) and marks the child dispatched in the same transaction, with the work
 * item id chosen when the fleet was created. A crash between batches loses nothing (the next
 * pass, on boot or on the timer, takes the children left) and creates nothing twice (a child is
 * taken only while not dispatched, under the fleet's row lock).
 */
@Injectable()
export class FleetDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly passes: PeriodicPass;
  private readonly logger: Logger;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly fleets: FleetRepository,
    private readonly workItems: WorkItemService,
    private readonly transactor: Transactor,
    @Inject(ORCHESTRATOR_CONFIG) config: OrchestratorConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'fleet-dispatcher' });
    this.passes = new PeriodicPass(
      () => this.dispatch(),
      config.SCHEDULER_INTERVAL_MS,
      (err) => this.logger.error({ err }, 'fan-out pass failed; the timer retries'),
    );
  }

  onApplicationBootstrap(): void {
    this.passes.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.passes.stop();
  }

  /** Runs a pass now, or once more right after the one in progress. */
  kick(): void {
    this.passes.kick();
  }

  /** One pass over the fleets with children left; returns how many children it recorded. */
  async dispatch(): Promise<number> {
    let recorded = 0;
    for (const fleetId of await this.fleets.withUndispatched(this.db.prisma, FLEETS_PER_PASS)) {
      for (let n = -1; n !== 0 && this.passes.isRunning;) {
        n = await this.batch(fleetId);
        recorded += n;
      }
    }
    return recorded;
  }

  private async batch(fleetId: string): Promise<number> {
    const result = await this.transactor.run(null, null, async (uow) => {
      // Waits for the lock (a child's transaction, another replica's batch) rather than skip:
      // what that one dispatched is visible once it is held, and the next children are taken.
      const fleet = await this.fleets.lock(uow.tx, fleetId);
      if (!fleet || fleet.state !== 'running') return 0;
      const children = await this.fleets.undispatched(uow.tx, fleetId, BATCH);
      const verify = fleet.verify.length > 0 ? fleet.verify : null;
      for (const child of children) {
        await this.workItems.record(
          uow,
          {
            id: child.workItemId,
            kind: 'fleet_child',
            repo: child.repo,
            title: fleet.title,
            description: fleet.prompt,
            priority: fleet.priority,
            labels: ['fleet'],
            autoStart: true,
            ownerId: fleet.ownerId,
            sourceRefs: { fleet: { id: fleet.id, title: fleet.title, cap: fleet.cap, verify } },
          },
          [],
          { by: 'request', cause: `fanned out by fleet "${fleet.title}" (${fleet.id})` },
          `fleet:${fleet.id}`,
        );
      }
      await this.fleets.markDispatched(
        uow.tx,
        fleetId,
        children.map((c) => c.repo),
        uow.now,
      );
      return children.length;
    });
    if (result.applied && result.value > 0)
      this.logger.info({ fleetId, children: result.value }, 'fleet children fanned out');
    return result.applied ? result.value : 0;
  }
}
