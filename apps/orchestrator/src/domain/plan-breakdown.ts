import type { PlanProposal, PlannedIssue } from '@horizon/contracts';
import { DependencyCycleError, DependencyGraph } from './dependency-graph';

export type PlanBreakdown =
  | { readonly ok: true; readonly issues: readonly PlannedIssue[] }
  | { readonly ok: false; readonly reason: string };

/**
 * The plan's issues in an order where every blocker comes before the issues it blocks (the
 * agent's own order wherever it already allows that), or why the plan cannot be recorded.
 */
export function breakDownPlan(plan: PlanProposal): PlanBreakdown {
  const byKey = new Map(plan.issues.map((issue) => [issue.key, issue]));
  const graph = new DependencyGraph([], { describe: (key) => `${key} (${byKey.get(key)?.title ?? '?'})` });
  try {
    for (const issue of plan.issues)
      for (const blocker of issue.blockedBy) graph.addBlocker(blocker, issue.key);
  } catch (err) {
    if (err instanceof DependencyCycleError) return { ok: false, reason: `the plan ${err.message}` };
    throw err;
  }
  const ordered: PlannedIssue[] = [];
  const placed = new Set<string>();
  while (ordered.length < plan.issues.length) {
    const next = plan.issues.find(
      (issue) => !placed.has(issue.key) && issue.blockedBy.every((key) => placed.has(key)),
    ) as PlannedIssue; // the graph is acyclic, so one is always ready
    ordered.push(next);
    placed.add(next.key);
  }
  return { ok: true, issues: ordered };
}

/** A planned issue's description as a work item (and tracker issue) carries it: markdown. */
export function plannedIssueDescription(issue: PlannedIssue): string {
  const criteria = issue.acceptanceCriteria.map((line) => `- ${line}`);
  return [issue.description.trim(), criteria.length ? `Acceptance criteria:\n${criteria.join('\n')}` : '']
    .filter(Boolean)
    .join('\n\n');
}
