import { randomUUID } from 'node:crypto';
import type { TrackerCreatePlannedIssuesData } from '@horizon/contracts';
import { planIssues, readyState } from './planned-issues';

const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
const command = (issues: TrackerCreatePlannedIssuesData['issues']): TrackerCreatePlannedIssuesData => ({
  tracker: 'linear',
  planWorkItemId: randomUUID(),
  planIssueId: 'PLN-1',
  teamId: 'T',
  projectId: null,
  agentSessionId: null,
  issues,
});
const issue = (workItemId: string, title: string, blockedBy: string[] = []) => ({
  workItemId,
  title,
  description: '',
  blockedBy,
});

describe('planIssues', () => {
  it('puts blockers first and keeps the command’s order otherwise, one relation per blocker', () => {
    const planned = planIssues(command([issue(c, 'C', [a, b]), issue(b, 'B'), issue(a, 'A', [b])]));
    if (!planned.ok) throw new Error(planned.reason);
    expect(planned.plan.ordered.map((i) => i.title)).toEqual(['B', 'A', 'C']);
    expect(planned.plan.relations.map((r) => `${r.blocker.title}→${r.blocked.title}`)).toEqual([
      'A→C',
      'B→C',
      'B→A',
    ]);
  });

  it('refuses a blocker outside the list, a self-block and a cycle, naming the issues', () => {
    const stranger = randomUUID();
    expect(planIssues(command([issue(a, 'A', [stranger])]))).toEqual({
      ok: false,
      reason: `"A" is blocked by ${stranger}, which is not one of the planned issues`,
    });
    expect(planIssues(command([issue(a, 'A', [a])]))).toEqual({
      ok: false,
      reason: '"A" cannot block itself',
    });
    expect(planIssues(command([issue(a, 'A', [b]), issue(b, 'B', [a]), issue(c, 'C')]))).toEqual({
      ok: false,
      reason: 'the blocking relations form a cycle among "A", "B"',
    });
  });
});

describe('readyState', () => {
  it("is the team's first unstarted state, not triage or backlog", () => {
    const states = [
      { id: 'todo2', name: 'Ready', type: 'unstarted', position: 3 },
      { id: 'tri', name: 'Triage', type: 'triage', position: 0 },
      { id: 'todo', name: 'Todo', type: 'unstarted', position: 2 },
      { id: 'bl', name: 'Backlog', type: 'backlog', position: 1 },
    ];
    expect(readyState(states)?.id).toBe('todo');
    expect(readyState(states.filter((s) => s.type !== 'unstarted'))).toBeUndefined();
  });
});
