import { DemoObservation, ObservedItem, nextDemoStep } from './demo-scenario';

const pr = (states: string[] = [], merged = false) => ({ number: 1, url: 'u', review: { states, merged } });
const item = (title: string, state: string, extra: Partial<ObservedItem> = {}): ObservedItem => ({
  id: title,
  title,
  state,
  transitions: [],
  pullRequest: null,
  lastRunOutcome: null,
  ...extra,
});
const plan = item('plan', 'done');

describe('nextDemoStep', () => {
  it('waits while the plan runs', () => {
    expect(nextDemoStep({ plan: item('plan', 'running'), children: [] })).toEqual({
      type: 'waiting',
      actions: [],
    });
  });

  it('asks for changes on the first pull request, once', () => {
    const a = item('A', 'in_review', { pullRequest: pr() });
    const step = nextDemoStep({ plan, children: [a, item('B', 'blocked')] });
    expect(step.type === 'waiting' && step.actions.map((x) => x.type)).toEqual(['request_changes']);
    const asked = { ...a, pullRequest: pr(['changes_requested']) };
    expect(nextDemoStep({ plan, children: [asked] })).toEqual({ type: 'waiting', actions: [] });
  });

  it('approves the first pull request only after the revise run answered the review', () => {
    const revised = item('A', 'in_review', {
      pullRequest: pr(['changes_requested']),
      transitions: ['in_review→revising', 'revising→in_review'],
      lastRunOutcome: 'succeeded',
    });
    const step = nextDemoStep({ plan, children: [revised] });
    expect(step.type === 'waiting' && step.actions.map((x) => x.type)).toEqual(['approve_and_merge']);
  });

  it('stops when the revise run failed instead of approving its pull request', () => {
    const failed = item('A', 'in_review', {
      pullRequest: pr(['changes_requested']),
      transitions: ['in_review→revising', 'revising→in_review'],
      lastRunOutcome: 'failed',
    });
    expect(nextDemoStep({ plan, children: [failed] })).toEqual({
      type: 'failed',
      reason: 'the revise run of "A" ended failed',
    });
  });

  it('approves later pull requests as they arrive', () => {
    const observed: DemoObservation = {
      plan,
      children: [item('A', 'done'), item('B', 'in_review', { pullRequest: pr() }), item('C', 'blocked')],
    };
    const step = nextDemoStep(observed);
    expect(step.type === 'waiting' && step.actions.map((x) => [x.type, x.item.title])).toEqual([
      ['approve_and_merge', 'B'],
    ]);
  });

  it('leaves alone a pull request that merged, or whose reviews were not read', () => {
    const merged = item('A', 'in_review', { pullRequest: pr([], true) });
    const unread = item('B', 'in_review', { pullRequest: { number: 2, url: 'u', review: null } });
    expect(nextDemoStep({ plan, children: [merged, unread] })).toEqual({ type: 'waiting', actions: [] });
  });

  it('finishes when the plan and every child are done', () => {
    expect(nextDemoStep({ plan, children: [item('A', 'done'), item('B', 'merged')] })).toEqual({
      type: 'finished',
    });
  });

  it('fails, naming the item, when something ends badly', () => {
    expect(nextDemoStep({ plan, children: [item('A', 'failed')] })).toEqual({
      type: 'failed',
      reason: '"A" ended failed',
    });
    expect(nextDemoStep({ plan: item('plan', 'failed'), children: [] })).toMatchObject({ type: 'failed' });
  });
});
