import { WorkItemState, workItemStateChanged, workItemStates } from '@horizon/contracts';
import {
  IllegalTransitionError,
  isTerminal,
  retryableWorkItemStates,
  terminalWorkItemStates,
  WorkItemSnapshot,
  WorkItemStateMachine,
  workItemTransitions,
} from './work-item-state-machine';

const machine = new WorkItemStateMachine();
const at = new Date('2026-11-24T10:00:00.000Z');
const sourceRefs = { trackerIssue: { provider: 'linear' as const, id: 'lin-1', identifier: 'HZN-12' } };

function item(state: WorkItemState): WorkItemSnapshot {
  return { id: '0b7c6c1e-6d1f-4c55-9d0b-1f2a3b4c5d6e', state, sourceRefs };
}

function walk(path: WorkItemState[]): WorkItemState {
  let state = path[0];
  for (const to of path.slice(1))
    state = machine.transition(item(state), to, `step to ${to}`, { actor: 'test', at }).state;
  return state;
}

describe('WorkItemStateMachine', () => {
  it.each(workItemTransitions.map((r) => [r.from, r.to] as const))('allows %s → %s', (from, to) => {
    const result = machine.transition(item(from), to, 'because', { actor: 'system:test', at, runId: null });
    expect(result.state).toBe(to);
    expect(result.stateEnteredAt).toBe(at);
  });

  const legal = new Set(workItemTransitions.map((r) => `${r.from}>${r.to}`));
  const illegal = workItemStates.flatMap((from) =>
    workItemStates.filter((to) => !legal.has(`${from}>${to}`)).map((to) => [from, to] as const),
  );

  it.each(illegal)('refuses %s → %s, naming from, to and cause', (from, to) => {
    const attempt = () => machine.transition(item(from), to, 'webhook:xyz', { actor: 'test', at });
    expect(attempt).toThrow(IllegalTransitionError);
    expect(attempt).toThrow(`${from} → ${to} (cause: webhook:xyz)`);
  });

  it('exposes from, to and cause on the error', () => {
    try {
      machine.transition(item('done'), 'running', 'late sandbox event', { actor: 'test', at });
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(IllegalTransitionError);
      const refusal = error as IllegalTransitionError;
      expect([refusal.from, refusal.to, refusal.cause]).toEqual(['done', 'running', 'late sandbox event']);
      expect(refusal.workItemId).toBe(item('done').id);
    }
  });

  it('refuses a transition without a cause', () => {
    expect(() => machine.transition(item('queued'), 'provisioning', '  ', { actor: 'test', at })).toThrow(
      IllegalTransitionError,
    );
  });

  it('leaves a terminal state only by a retry back to queued, and has a way out of every other one', () => {
    for (const state of workItemStates) {
      const next = machine.nextStates(state);
      if (!isTerminal(state)) expect(next.length).toBeGreaterThan(0);
      else expect(next).toEqual(retryableWorkItemStates.includes(state) ? ['queued'] : []);
    }
    expect(terminalWorkItemStates).toEqual(['done', 'failed', 'cancelled', 'timed_out']);
    expect(retryableWorkItemStates).toEqual(['failed', 'cancelled', 'timed_out']);
    expect(isTerminal('merged')).toBe(false);
  });

  it('takes a failed, cancelled or timed-out item back to queued on a retry, never a done one', () => {
    expect(walk(['received', 'queued', 'provisioning', 'running', 'failed', 'queued', 'provisioning'])).toBe(
      'provisioning',
    );
    expect(walk(['received', 'planned', 'cancelled', 'queued'])).toBe('queued');
    expect(walk(['received', 'queued', 'timed_out', 'queued'])).toBe('queued');
    expect(machine.canTransition('done', 'queued')).toBe(false);
    expect(machine.canTransition('failed', 'running')).toBe(false);
  });

  it('reaches done from received along the happy path with revise loops', () => {
    const happy: WorkItemState[] = [
      'received',
      'queued',
      'provisioning',
      'running',
      'verifying',
      'in_review',
    ];
    expect(walk([...happy, 'revising', 'in_review', 'revising', 'in_review', 'merged', 'done'])).toBe('done');
    expect(walk(['received', 'planned', 'queued'])).toBe('queued');
    expect(walk(['received', 'blocked', 'queued', 'provisioning', 'queued', 'provisioning', 'running'])).toBe(
      'running',
    );
  });

  it('returns the audit record and a workItemStateChanged event that its schema accepts', () => {
    const runId = '5f1d2b5e-4a7c-4e3a-9b2f-6c1d0e9f8a7b';
    const result = machine.transition(item('running'), 'verifying', 'run.progress verification', {
      actor: 'system:orchestrator',
      at,
      runId,
    });
    expect(result.audit).toEqual({
      workItemId: item('running').id,
      runId,
      from: 'running',
      to: 'verifying',
      cause: 'run.progress verification',
      actor: 'system:orchestrator',
      at,
    });
    expect(result.events).toHaveLength(1);
    const [event] = result.events;
    expect(event.contract).toBe(workItemStateChanged);
    expect(workItemStateChanged.data.parse(event.data)).toEqual({
      workItemId: item('running').id,
      from: 'running',
      to: 'verifying',
      cause: 'run.progress verification',
      runId,
      sourceRefs,
    });
  });

  it('works from a table given as data', () => {
    const tiny = new WorkItemStateMachine([{ from: 'received', to: 'done', when: 'test table' }]);
    expect(tiny.canTransition('received', 'done')).toBe(true);
    expect(tiny.canTransition('received', 'queued')).toBe(false);
  });
});
