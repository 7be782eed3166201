import { Injectable } from '@nestjs/common';
import type { SourceRefs, WorkItemState } from '@horizon/contracts';
import { PullRequestTarget, WorkItemStateMachine, isTerminal } from '../domain';
import { WorkItemChanges, WorkItemRepository, WorkItemRow } from '../persistence/work-item.repository';
import { activeStates } from '../settings';
import { UnitOfWork } from './unit-of-work';

export interface MoveOptions {
  /** Who or what caused it: `github:<login>`, `system:watchdog`… */
  readonly actor: string;
  readonly runId?: string | null;
  /** Other columns to write with the new state. */
  readonly changes?: Omit<WorkItemChanges, 'state' | 'stateEnteredAt'>;
}

export function sourceRefsOf(item: WorkItemRow): SourceRefs {
  return (item.sourceRefs ?? {}) as SourceRefs;
}

/** How an item remembers its PR. */
export function pullRequestRef(pr: PullRequestTarget): NonNullable<SourceRefs['pullRequest']> {
  const { owner, name } = pr.repository;
  return {
    provider: pr.forge,
    repo: { forge: pr.forge, owner, name },
    number: pr.number,
    url: pr.htmlUrl,
    branch: pr.branch,
  };
}

/**
 * Applies the state machine to stored items: computes the transition, writes the state (guarded
 * by the item's version), its audit record and its event, all in the unit of work's transaction.
 */
@Injectable()
export class WorkItemTransitions {
  readonly machine = new WorkItemStateMachine();

  constructor(private readonly items: WorkItemRepository) {}

  can(item: WorkItemRow, to: WorkItemState): boolean {
    return this.machine.canTransition(item.state, to);
  }

  /** @throws IllegalTransitionError for an edge the lifecycle does not have; StaleWorkItemError on a version conflict. */
  async move(
    uow: UnitOfWork,
    item: WorkItemRow,
    to: WorkItemState,
    cause: string,
    options: MoveOptions,
  ): Promise<WorkItemRow> {
    const changes = options.changes ?? {};
    const snapshot = { id: item.id, state: item.state, sourceRefs: changes.sourceRefs ?? sourceRefsOf(item) };
    const result = this.machine.transition(snapshot, to, cause, {
      actor: options.actor,
      at: uow.now,
      runId: options.runId ?? null,
    });
    const updated = await this.items.update(uow.tx, item, {
      // Leaving `waiting`, the budget it waited at is behind it.
      ...(item.state === 'waiting' ? { waitingFor: null } : {}),
      ...changes,
      state: result.state,
      stateEnteredAt: result.stateEnteredAt,
      redrivenAt: null,
    });
    await this.items.recordTransition(uow.tx, result.audit);
    const fleet = sourceRefsOf(updated).fleet;
    if (fleet) uow.touchFleet(fleet.id);
    for (const event of result.events) uow.emit(event.contract, event.data);
    uow.transitions.push({ from: item.state, to });
    const freesCapacity = (activeStates as readonly string[]).includes(item.state) || isTerminal(to);
    if (to === 'queued' || freesCapacity) uow.schedulingChanged = true;
    return updated;
  }
}
