import type { FleetChildView, FleetState, FleetView, SourceRefs } from '@horizon/contracts';
import { aggregateChild, childStateOf, fleetProgress } from '../domain';
import type { ChildFactsRow, FleetRow, ProgressFactsRow } from '../persistence/fleet.repository';

/** A child's row of the results table, from what the repository read of it. */
export function childView(facts: ChildFactsRow, fleetState: FleetState): FleetChildView {
  const { state } = childProgress(facts, fleetState);
  const pr = (facts.sourceRefs as SourceRefs | null)?.pullRequest;
  const ended = facts.outcome !== null;
  return aggregateChild({
    repo: facts.repo,
    workItemId: facts.workItemId,
    state,
    attempts: facts.attempts,
    failureReason: facts.failureReason,
    pullRequest: pr ? { number: pr.number, url: pr.url ?? null } : null,
    verification: ended ? (facts.report?.verification ?? []) : null,
    durationMs: ended ? (facts.report?.durationMs ?? null) : null,
    inputTokens: Number(facts.inputTokens),
    outputTokens: Number(facts.outputTokens),
  });
}

/** A child's state and duration, as progress counts them. */
export function childProgress(
  facts: Omit<ProgressFactsRow, 'durationMs'> & { durationMs?: number | null },
  fleetState: FleetState,
) {
  return {
    state: childStateOf({
      itemState: facts.dispatched ? facts.itemState : null,
      lastOutcome: facts.outcome,
      fleetCancelled: fleetState === 'cancelled',
    }),
    durationMs: facts.outcome !== null ? (facts.durationMs ?? null) : null,
  };
}

export function fleetView(
  fleet: FleetRow,
  children: readonly Pick<FleetChildView, 'state' | 'durationMs'>[],
): FleetView {
  const state = fleet.state as FleetState;
  return {
    id: fleet.id,
    title: fleet.title,
    prompt: fleet.prompt,
    verify: fleet.verify.length > 0 ? fleet.verify : null,
    selector: fleet.selector as FleetView['selector'],
    cap: fleet.cap,
    priority: fleet.priority,
    state,
    ownerId: fleet.ownerId,
    createdBy: fleet.createdBy,
    createdAt: fleet.createdAt.toISOString(),
    progress: fleetProgress(children, fleet.cap, state),
  };
}
