import { Injectable } from '@nestjs/common';
import { DependencyGraph, retryableWorkItemStates } from '../domain';
import { WorkItemRepository, WorkItemRow } from '../persistence/work-item.repository';
import { UnitOfWork } from './unit-of-work';
import { WorkItemService } from './work-item.service';
import { WorkItemTransitions } from './work-item-transitions';

/**
 * A person's retry of an item that ended without its work done: back to `queued`, where the
 * scheduler starts a new run (the next attempt, on the item's branch). The automatic retry
 * policy is not involved: it decides only after infra failures, and a person may retry what
 * it gave up on. A retry the item cannot take is audited with why and changes nothing.
 */
@Injectable()
export class WorkItemRetry {
  constructor(
    private readonly items: WorkItemRepository,
    private readonly transitions: WorkItemTransitions,
    private readonly workItems: WorkItemService,
  ) {}

  async retry(uow: UnitOfWork, item: WorkItemRow, actor: string): Promise<void> {
    if (!retryableWorkItemStates.includes(item.state) || !this.transitions.can(item, 'queued')) {
      return this.workItems.ignore(
        uow,
        item,
        actor,
        `retry refused: the item is ${item.state}; only a failed, cancelled or timed-out item is retried`,
      );
    }
    // Its blockers were satisfied when it first started, unless it ended before they were.
    const edges = await this.items.edgesInto(uow.tx, [item.id]);
    const graph = new DependencyGraph(edges);
    const pending = graph.pendingBlockersOf(
      item.id,
      await this.items.statesOf(uow.tx, graph.blockersOf(item.id)),
    );
    if (pending.length > 0) {
      return this.workItems.ignore(
        uow,
        item,
        actor,
        `retry refused: it still waits on ${pending.join(', ')}; retry it once they are merged`,
      );
    }
    await this.transitions.move(uow, item, 'queued', `retried by ${actor}`, {
      actor,
      changes: { notBefore: null },
    });
  }
}
