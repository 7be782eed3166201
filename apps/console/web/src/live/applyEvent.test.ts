import { describe, expect, it } from 'vitest';
import { boardItem, runFinished, stateChanged, uuid } from '../testing/fixtures';
import { applyEvent } from './applyEvent';

const item = boardItem({ state: 'running' });
const list = { items: [item], seq: 10 };

describe('applyEvent', () => {
  it('ignores events at or before the list’s position', () => {
    expect(applyEvent(list, stateChanged(10, item.id, 'running', 'failed'))).toEqual({
      ...list,
      refetch: false,
    });
    expect(applyEvent(list, stateChanged(3, item.id, 'running', 'failed')).items).toBe(list.items);
  });

  it('moves an item to its new state, with the pull request its refs name', () => {
    const event = stateChanged(11, item.id, 'running', 'in_review');
    event.data.sourceRefs = { pullRequest: { provider: 'local', number: 4, branch: 'b', repo: {} } };
    const applied = applyEvent(list, event);
    expect(applied.seq).toBe(11);
    expect(applied.items[0]).toMatchObject({
      state: 'in_review',
      stateEnteredAt: event.occurredAt,
      pullRequest: { number: 4, url: null, provider: 'local' },
    });
    expect(list.items[0].state).toBe('running');
  });

  it('tracks the latest run from start to verification', () => {
    const runId = uuid();
    const started = applyEvent(list, {
      seq: 11,
      subject: 'hzn.evt.run.started',
      occurredAt: '',
      data: { runId, workItemId: item.id },
    });
    expect(started.items[0].latestRun).toEqual({ id: runId, outcome: null, verification: 'none' });
    const passed = applyEvent(started, runFinished(12, item.id, runId, [0, 0]));
    expect(passed.items[0].latestRun).toEqual({ id: runId, outcome: 'succeeded', verification: 'passed' });
    expect(
      applyEvent(started, runFinished(12, item.id, runId, [0, 2])).items[0].latestRun?.verification,
    ).toBe('failed');
    expect(applyEvent(started, runFinished(12, item.id, runId, [])).items[0].latestRun?.verification).toBe(
      'none',
    );
  });

  it('asks for the list again for a new item or a state change of one it lacks', () => {
    const created = { seq: 11, subject: 'hzn.evt.workitem.created', occurredAt: '', data: {} };
    expect(applyEvent(list, created)).toMatchObject({ seq: 11, refetch: true });
    expect(applyEvent(list, stateChanged(11, uuid(), 'queued', 'running'))).toMatchObject({ refetch: true });
    expect(applyEvent(list, runFinished(11, uuid(), uuid(), [0]))).toMatchObject({ seq: 11, refetch: false });
  });
});
