import type { TrackerCreatePlannedIssuesData } from '@horizon/contracts';
import type { TrackerIssue, TrackerWorkflowState } from '@horizon/integrations-linear';
import type { Notification } from '../../domain/compose';

/**
 * What `hzn.cmd.tracker.create_planned_issues` asks for, worked out without I/O: the issues in
 * the order they can be worked on, the `blocks` relations, the delivery keys of each step, and
 * the agent-session messages around them.
 */
export type PlannedIssue = TrackerCreatePlannedIssuesData['issues'][number];

export interface BlocksRelation {
  blocker: PlannedIssue;
  blocked: PlannedIssue;
}

export interface IssuePlan {
  /** Blockers before the issues they block; otherwise in the command's order. */
  ordered: PlannedIssue[];
  relations: BlocksRelation[];
}

export const plannedKeys = {
  creating: (planWorkItemId: string) => `tracker:plan:${planWorkItemId}:creating`,
  issue: (workItemId: string) => `tracker:issue:${workItemId}`,
  blocks: (blockerId: string, blockedId: string) => `tracker:blocks:${blockerId}:${blockedId}`,
  created: (planWorkItemId: string) => `tracker:plan:${planWorkItemId}:created`,
};

/**
 * Checks the command's graph (every blocker is an issue of the list, none blocks itself, no
 * cycle) and orders it topologically. A command that fails here can never be carried out.
 */
export function planIssues(
  cmd: TrackerCreatePlannedIssuesData,
): { ok: true; plan: IssuePlan } | { ok: false; reason: string } {
  const byId = new Map<string, PlannedIssue>();
  for (const issue of cmd.issues) {
    if (byId.has(issue.workItemId))
      return { ok: false, reason: `work item ${issue.workItemId} is listed twice` };
    byId.set(issue.workItemId, issue);
  }
  const relations: BlocksRelation[] = [];
  for (const blocked of cmd.issues) {
    for (const blockerId of new Set(blocked.blockedBy)) {
      const blocker = byId.get(blockerId);
      if (!blocker)
        return {
          ok: false,
          reason: `"${blocked.title}" is blocked by ${blockerId}, which is not one of the planned issues`,
        };
      if (blocker === blocked) return { ok: false, reason: `"${blocked.title}" cannot block itself` };
      relations.push({ blocker, blocked });
    }
  }
  const ordered: PlannedIssue[] = [];
  const placed = new Set<string>();
  while (ordered.length < cmd.issues.length) {
    const next = cmd.issues.find((i) => !placed.has(i.workItemId) && i.blockedBy.every((b) => placed.has(b)));
    if (!next) {
      const stuck = cmd.issues.filter((i) => !placed.has(i.workItemId)).map((i) => `"${i.title}"`);
      return { ok: false, reason: `the blocking relations form a cycle among ${stuck.join(', ')}` };
    }
    ordered.push(next);
    placed.add(next.workItemId);
  }
  return { ok: true, plan: { ordered, relations } };
}

/**
 * The state new issues are created in: the team's first `unstarted` state (Linear's "Todo"),
 * so they wait, ready to be started, rather than land in Triage; the team default when it has none.
 */
export function readyState(states: readonly TrackerWorkflowState[]): TrackerWorkflowState | undefined {
  return [...states].sort((a, b) => a.position - b.position).find((s) => s.type === 'unstarted');
}

const sessionActivity = (
  agentSessionId: string,
  dedupeKey: string,
  body: string,
  linearActivity: NonNullable<Notification['linearActivity']>,
): Notification => ({
  channel: 'linear',
  target: { agentSessionId },
  dedupeKey,
  title: '',
  body,
  linearActivity,
});

/** The `action` activity shown on the plan's session while the issues are created. */
export function creatingActivity(
  cmd: TrackerCreatePlannedIssuesData,
  agentSessionId: string,
  plan: IssuePlan,
): Notification {
  const n = plan.ordered.length;
  const r = plan.relations.length;
  const parameter = `${n} issue${n === 1 ? '' : 's'} with ${r} blocking relation${r === 1 ? '' : 's'}`;
  return sessionActivity(agentSessionId, plannedKeys.creating(cmd.planWorkItemId), parameter, {
    type: 'action',
    action: 'Creating issues',
    parameter,
  });
}

/** The `response` activity: the issues created, in order, each with what it waits for. */
export function createdResponse(
  cmd: TrackerCreatePlannedIssuesData,
  agentSessionId: string,
  plan: IssuePlan,
  created: ReadonlyMap<string, TrackerIssue>,
): Notification {
  const name = (workItemId: string) => created.get(workItemId)?.identifier ?? workItemId;
  const lines = plan.ordered.map((planned, i) => {
    const issue = created.get(planned.workItemId);
    const link = issue ? `[${issue.identifier}](${issue.url})` : planned.workItemId;
    const after = planned.blockedBy.length ? ` — after ${planned.blockedBy.map(name).join(', ')}` : '';
    return `${i + 1}. ${link} ${issue?.title ?? planned.title}${after}`;
  });
  const n = plan.ordered.length;
  const body = [
    `Created ${n} issue${n === 1 ? '' : 's'}, in the order they can be worked on:`,
    '',
    ...lines,
    '',
    'Move an issue with nothing before it to In Progress to start it; the others start by themselves as their blockers merge.',
  ].join('\n');
  return sessionActivity(agentSessionId, plannedKeys.created(cmd.planWorkItemId), body, { type: 'response' });
}
