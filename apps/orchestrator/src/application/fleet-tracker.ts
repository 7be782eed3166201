import { Injectable } from '@nestjs/common';
import { fleetFinished, fleetProgressed, forgeUpdateFleetLinks } from '@horizon/contracts';
import type { FleetState, SourceRefs } from '@horizon/contracts';
import { fleetSection, fleetStateAfter } from '../domain';
import { FleetRepository } from '../persistence/fleet.repository';
import { childProgress, fleetView } from './fleet-views';
import { Transactor, UnitOfWork } from './unit-of-work';

/**
 * Keeps each fleet's state and events in step with its children, in the transaction that
 * changed them: `hzn.evt.fleet.progressed` (and `finished` when nothing waits or runs any
 * more), and, when a child's PR was linked, the fleet section of every child's PR body.
 */
@Injectable()
export class FleetTracker {
  constructor(
    private readonly fleets: FleetRepository,
    transactor: Transactor,
  ) {
    transactor.beforeCommit((uow) => this.flush(uow));
  }

  async flush(uow: UnitOfWork): Promise<void> {
    for (const [fleetId, { links }] of uow.fleets) {
      // Locked after the children's rows (lock order: work items, then the fleet).
      const fleet = await this.fleets.lock(uow.tx, fleetId);
      if (!fleet) continue;
      const was = fleet.state as FleetState;
      const { progress } = fleetView(
        fleet,
        (await this.fleets.progressFacts(uow.tx, fleetId)).map((f) => childProgress(f, was)),
      );
      const state = fleetStateAfter(was, progress);
      if (state !== was) await this.fleets.setState(uow.tx, fleetId, state);
      uow.emit(fleetProgressed, { fleetId, state, progress });
      if (state === 'finished' && was !== 'finished') uow.emit(fleetFinished, { fleetId, progress });
      if (!links) continue;
      const facts = await this.fleets.childFacts(uow.tx, fleetId, false);
      const opened = facts.flatMap((f) => {
        const pr = (f.sourceRefs as SourceRefs | null)?.pullRequest;
        return pr && f.runId ? [{ workItemId: f.workItemId, runId: f.runId, repo: f.repo, pr }] : [];
      });
      const siblings = opened.map((o) => ({ repo: o.repo, url: o.pr.url ?? null, number: o.pr.number }));
      for (const child of opened) {
        uow.emit(forgeUpdateFleetLinks, {
          workItemId: child.workItemId,
          runId: child.runId,
          repo: child.repo,
          forge: child.pr.provider,
          number: child.pr.number,
          section: fleetSection(fleet, child.repo, siblings),
        });
      }
    }
    uow.fleets.clear();
  }
}
