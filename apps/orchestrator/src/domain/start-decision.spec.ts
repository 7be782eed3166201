import { WorkItemState } from '@horizon/contracts';
import { AutomationCandidate, AutomationPolicy } from './automation-policy';
import { DependencyGraph } from './dependency-graph';
import { decideAfterMerge, decideStart } from './start-decision';
import { WorkItemStateMachine } from './work-item-state-machine';

const policy = new AutomationPolicy({ labels: { 'needs-human': false } });
const pmItem: AutomationCandidate = { autoStart: null, repo: 'acme/api', labels: [], createdByPmAgent: true };
const diamond = () =>
  new DependencyGraph([
    { blockerId: 'A', blockedId: 'B' },
    { blockerId: 'A', blockedId: 'C' },
    { blockerId: 'B', blockedId: 'D' },
    { blockerId: 'C', blockedId: 'D' },
  ]);

describe('decideStart', () => {
  it('blocks an item on its unmerged blockers, naming them', () => {
    const states = new Map<string, WorkItemState>([
      ['B', 'merged'],
      ['C', 'running'],
    ]);
    expect(decideStart('D', pmItem, diamond(), states, policy)).toEqual({
      workItemId: 'D',
      to: 'blocked',
      cause: 'waiting on C',
    });
  });

  it('queues a released item that automation may start, plans one that needs a human', () => {
    const states = new Map<string, WorkItemState>([['A', 'done']]);
    expect(decideStart('B', pmItem, diamond(), states, policy)).toMatchObject({
      to: 'queued',
      cause: 'default for items created by the PM agent',
    });
    expect(decideStart('B', { ...pmItem, labels: ['needs-human'] }, diamond(), states, policy)).toMatchObject(
      { to: 'planned' },
    );
    expect(
      decideStart('A', { ...pmItem, createdByPmAgent: false }, diamond(), new Map(), policy),
    ).toMatchObject({ to: 'planned' });
  });
});

describe('decideAfterMerge', () => {
  const candidates = new Map(['B', 'C', 'D'].map((id) => [id, pmItem]));

  it('walks a diamond: both middles start after the top, the bottom after both middles', () => {
    const graph = diamond();
    const states = new Map<string, WorkItemState>([
      ['A', 'in_review'],
      ['B', 'blocked'],
      ['C', 'blocked'],
      ['D', 'blocked'],
    ]);
    expect(decideAfterMerge('A', graph, states, candidates, policy).map((d) => [d.workItemId, d.to])).toEqual(
      [
        ['B', 'queued'],
        ['C', 'queued'],
      ],
    );

    states.set('A', 'done').set('B', 'in_review').set('C', 'in_review');
    expect(decideAfterMerge('B', graph, states, candidates, policy)).toEqual([]);
    states.set('B', 'done');
    expect(decideAfterMerge('C', graph, states, candidates, policy)).toEqual([
      { workItemId: 'D', to: 'queued', cause: 'blocker C merged; default for items created by the PM agent' },
    ]);
  });

  it('gives decisions the state machine accepts from blocked', () => {
    const machine = new WorkItemStateMachine();
    const states = new Map<string, WorkItemState>([
      ['B', 'blocked'],
      ['C', 'blocked'],
    ]);
    const humanOnly = new Map([
      ['B', pmItem],
      ['C', { ...pmItem, autoStart: false }],
    ]);
    for (const decision of decideAfterMerge('A', diamond(), states, humanOnly, policy)) {
      expect(machine.canTransition('blocked', decision.to)).toBe(true);
    }
    expect(decideAfterMerge('A', diamond(), states, humanOnly, policy).map((d) => d.to)).toEqual([
      'queued',
      'planned',
    ]);
  });

  it('leaves out a dependent whose facts were not given', () => {
    const states = new Map<string, WorkItemState>([
      ['B', 'blocked'],
      ['C', 'blocked'],
    ]);
    expect(
      decideAfterMerge('A', diamond(), states, new Map([['C', pmItem]]), policy).map((d) => d.workItemId),
    ).toEqual(['C']);
  });
});
