import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@horizon/db';
import type { Database, Tx } from '@horizon/db';
import { fleetCreated } from '@horizon/contracts';
import type { FleetChildView, FleetRequest, FleetState, FleetView } from '@horizon/contracts';
import { InvalidFleetError, endedChildStates, resolveFleetRepos, retriableChildStates } from '../domain';
import { FleetRepository, FleetRow } from '../persistence/fleet.repository';
import { WorkItemRepository } from '../persistence/work-item.repository';
import { childView, fleetView } from './fleet-views';
import { FleetDispatcher } from './fleet-dispatcher';
import { Transactor } from './unit-of-work';
import { WorkItemService } from './work-item.service';
import { WorkItemRetry } from './work-item-retry';

export type FleetRefusal = 'invalid_fleet' | 'not_found' | 'nothing_to_retry';

/** A fleet request refused; `code` is what the RPC answers, the message says what to do. */
export class FleetRequestError extends Error {
  constructor(
    readonly code: FleetRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'FleetRequestError';
  }
}

const LIST_LIMIT = 100;

/** Fleets as people manage them: create (fanned out by the dispatcher), read, cancel, retry. */
@Injectable()
export class FleetService {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly fleets: FleetRepository,
    private readonly items: WorkItemRepository,
    private readonly workItems: WorkItemService,
    private readonly retries: WorkItemRetry,
    private readonly transactor: Transactor,
    private readonly dispatcher: FleetDispatcher,
  ) {}

  /** Records the fleet and its children (each with its work item id, chosen now); the dispatcher fans them out. */
  async create(input: {
    fleet: FleetRequest;
    ownerId: string | null;
    requestedBy: string;
  }): Promise<FleetView> {
    const { fleet } = input;
    const result = await this.transactor.run(null, null, async (uow) => {
      const known = fleet.selector.glob ? await this.fleets.knownRepos(uow.tx) : [];
      let repos: string[];
      try {
        repos = resolveFleetRepos(fleet.selector, known);
      } catch (err) {
        if (err instanceof InvalidFleetError) throw new FleetRequestError('invalid_fleet', err.message);
        throw err;
      }
      const id = randomUUID();
      const row = await this.fleets.create(
        uow.tx,
        {
          id,
          title: fleet.title,
          prompt: fleet.prompt,
          verify: fleet.verify ?? null,
          selector: fleet.selector,
          cap: fleet.cap,
          priority: fleet.priority,
          ownerId: input.ownerId,
          createdBy: input.requestedBy,
          at: uow.now,
        },
        repos.map((repo) => ({ repo, workItemId: randomUUID() })),
      );
      uow.emit(fleetCreated, { fleetId: id, title: fleet.title, repos, cap: fleet.cap });
      uow.touchFleet(id);
      return row;
    });
    if (!result.applied) throw new Error('creating the fleet was not applied');
    this.dispatcher.kick();
    return this.view(this.db.prisma, result.value);
  }

  async list(): Promise<FleetView[]> {
    const rows = await this.fleets.list(this.db.prisma, LIST_LIMIT);
    return Promise.all(rows.map((row) => this.view(this.db.prisma, row)));
  }

  async get(fleetId: string): Promise<{ fleet: FleetView; children: FleetChildView[] }> {
    const row = await this.existing(this.db.prisma, fleetId);
    const children = await this.children(this.db.prisma, row, true);
    return { fleet: fleetView(row, children), children };
  }

  /** Children not fanned out never will be; every child not ended is cancelled through the work item's own cancel. */
  async cancel(fleetId: string, requestedBy: string): Promise<FleetView> {
    await this.transactor.run(null, null, async (uow) => {
      const row = await this.existing(uow.tx, fleetId);
      const open = (await this.children(uow.tx, row, false)).filter(
        (c) => c.state === 'queued' || c.state === 'running',
      );
      for (const item of await this.items.getMany(
        uow.tx,
        open.map((c) => c.workItemId),
      )) {
        await this.workItems.cancel(
          uow,
          item,
          `fleet "${row.title}" cancelled by ${requestedBy}`,
          requestedBy,
        );
      }
      // The fleet row last: a child's own transaction locks its work item, then the fleet.
      await this.fleets.setState(uow.tx, fleetId, 'cancelled');
      uow.touchFleet(fleetId);
    });
    return (await this.get(fleetId)).fleet;
  }

  /** Failed and cancelled children go back to `queued` together; the fleet cap paces them. A cancelled fleet resumes. */
  async retry(fleetId: string, requestedBy: string): Promise<{ fleet: FleetView; retried: string[] }> {
    const result = await this.transactor.run(null, null, async (uow) => {
      const row = await this.existing(uow.tx, fleetId);
      const children = await this.children(uow.tx, row, false);
      const failed = children.filter((c) => retriableChildStates.includes(c.state) && c.attempts > 0);
      const neverRan =
        row.state === 'cancelled' && children.some((c) => c.state === 'cancelled' && c.attempts === 0);
      if (failed.length === 0 && !neverRan) {
        const ended = children.filter((c) => endedChildStates.includes(c.state)).length;
        throw new FleetRequestError(
          'nothing_to_retry',
          `fleet ${fleetId} has no failed or cancelled child (${ended} of ${children.length} ended); nothing to retry`,
        );
      }
      for (const item of await this.items.getMany(
        uow.tx,
        failed.map((c) => c.workItemId),
      )) {
        await this.retries.retry(uow, item, requestedBy);
      }
      if (row.state !== 'running') await this.fleets.setState(uow.tx, fleetId, 'running');
      uow.touchFleet(fleetId);
      return failed.map((c) => c.repo);
    });
    if (!result.applied) throw new Error('retrying the fleet was not applied');
    this.dispatcher.kick();
    return { fleet: (await this.get(fleetId)).fleet, retried: result.value };
  }

  private async view(tx: Tx, row: FleetRow): Promise<FleetView> {
    return fleetView(row, await this.children(tx, row, false));
  }

  private async children(tx: Tx, row: FleetRow, withTokens: boolean): Promise<FleetChildView[]> {
    const facts = await this.fleets.childFacts(tx, row.id, withTokens);
    return facts.map((f) => childView(f, row.state as FleetState));
  }

  private async existing(tx: Tx, fleetId: string): Promise<FleetRow> {
    const row = await this.fleets.get(tx, fleetId);
    if (!row)
      throw new FleetRequestError('not_found', `no fleet ${fleetId}; list them with \`horizon fleet list\``);
    return row;
  }
}
