import { WorkItemState } from '@horizon/contracts';
import { AutomationCandidate, AutomationPolicy } from './automation-policy';
import { DependencyGraph } from './dependency-graph';

export interface StartDecision {
  readonly workItemId: string;
  /** `blocked` while a blocker is unmerged; then `queued` if automation may start it, `planned` if a human must. */
  readonly to: Extract<WorkItemState, 'blocked' | 'queued' | 'planned'>;
  /** A transition cause, ready for `WorkItemStateMachine.transition`. */
  readonly cause: string;
}

/**
 * Where an item that is not running yet belongs: used when it is recorded (from `received`)
 * and when a blocker merges (from `blocked`).
 */
export function decideStart(
  id: string,
  candidate: AutomationCandidate,
  graph: DependencyGraph,
  states: ReadonlyMap<string, WorkItemState>,
  policy: AutomationPolicy,
): StartDecision {
  const waitingOn = graph.pendingBlockersOf(id, states);
  if (waitingOn.length > 0)
    return {
      workItemId: id,
      to: 'blocked',
      cause: `waiting on ${waitingOn.map((b) => graph.name(b)).join(', ')}`,
    };
  const automation = policy.decide(candidate);
  return { workItemId: id, to: automation.autoStart ? 'queued' : 'planned', cause: automation.reason };
}

/**
 * After `mergedId` merged: what becomes of each item it was holding back. `candidates` gives the
 * automation facts of the dependents; one missing from it is left out (the caller could not load it).
 */
export function decideAfterMerge(
  mergedId: string,
  graph: DependencyGraph,
  states: ReadonlyMap<string, WorkItemState>,
  candidates: ReadonlyMap<string, AutomationCandidate>,
  policy: AutomationPolicy,
): StartDecision[] {
  const withMerge = new Map(states).set(mergedId, 'merged');
  return graph.unblockedBy(mergedId, withMerge).flatMap((id) => {
    const candidate = candidates.get(id);
    if (!candidate) return [];
    const decision = decideStart(id, candidate, graph, withMerge, policy);
    return [{ ...decision, cause: `blocker ${graph.name(mergedId)} merged; ${decision.cause}` }];
  });
}
