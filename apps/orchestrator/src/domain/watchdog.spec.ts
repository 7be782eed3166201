import { RetryPolicy } from './retry-policy';
import { defaultWatchdogRules, Watchdog, WatchedItem } from './watchdog';
import { WorkItemStateMachine } from './work-item-state-machine';

const t0 = new Date('2026-11-24T10:00:00.000Z');
const after = (ms: number) => new Date(t0.getTime() + ms);
const min = 60_000;

function item(fields: Partial<WatchedItem>): WatchedItem {
  return {
    id: 'w1',
    state: 'running',
    stateEnteredAt: t0,
    attempt: 1,
    runDeadlineAt: null,
    redrivenAt: null,
    ...fields,
  };
}

describe('Watchdog', () => {
  const watchdog = new Watchdog(
    defaultWatchdogRules,
    new RetryPolicy({ maxAttempts: 3, baseDelayMs: 10_000, factor: 2, maxDelayMs: min }),
  );

  it('retries a run stuck in provisioning after 5 minutes, with back-off', () => {
    const stuck = item({ state: 'provisioning', attempt: 1 });
    expect(watchdog.inspect([stuck], after(5 * min - 1)).decisions).toEqual([]);
    const [decision] = watchdog.inspect([stuck], after(5 * min + 1000)).decisions;
    expect(decision).toMatchObject({
      workItemId: 'w1',
      action: 'retry',
      to: 'queued',
      overdueMs: 1000,
      retry: { attempt: 2, notBefore: after(5 * min + 11_000) },
    });
    expect(decision.reason).toContain('infra failure on attempt 1 of 3');
  });

  it('fails a provisioning stall when no attempts are left', () => {
    const [decision] = watchdog.inspect(
      [item({ state: 'provisioning', attempt: 3 })],
      after(6 * min),
    ).decisions;
    expect(decision).toMatchObject({ action: 'fail', to: 'failed', retry: null });
    expect(decision.reason).toContain('none left: stalled in provisioning since 2026-11-24T10:00:00.000Z');
  });

  it('times a run out at its deadline plus grace, or after the fallback limit without one', () => {
    const withDeadline = item({ runDeadlineAt: after(30 * min) });
    expect(watchdog.inspect([withDeadline], after(32 * min - 1)).decisions).toEqual([]);
    expect(watchdog.inspect([withDeadline], after(32 * min)).decisions[0]).toMatchObject({
      action: 'time_out',
      to: 'timed_out',
      reason: 'run deadline 2026-11-24T10:30:00.000Z passed; in running since 2026-11-24T10:00:00.000Z',
    });
    expect(watchdog.inspect([item({})], after(60 * min)).decisions[0]).toMatchObject({
      action: 'time_out',
      reason: expect.stringContaining('over the 3600s limit'),
    });
  });

  it('hands a revise run that overran back to review', () => {
    const [decision] = watchdog.inspect(
      [item({ state: 'revising', runDeadlineAt: after(min) })],
      after(10 * min),
    ).decisions;
    expect(decision).toMatchObject({ action: 'time_out', to: 'in_review' });
  });

  it('fails an item nobody routed, and times out one that waited a day for capacity', () => {
    expect(watchdog.inspect([item({ state: 'received' })], after(10 * min)).decisions[0]).toMatchObject({
      action: 'fail',
      to: 'failed',
    });
    expect(watchdog.inspect([item({ state: 'queued' })], after(24 * 60 * min)).decisions[0]).toMatchObject({
      action: 'time_out',
      to: 'timed_out',
    });
  });

  it('re-sends the tracker update of a merged item, then waits again from the re-send', () => {
    const merged = item({ state: 'merged' });
    expect(watchdog.inspect([merged], after(2 * min)).decisions[0]).toMatchObject({
      action: 'retry',
      to: null,
      retry: null,
    });
    const redriven = { ...merged, redrivenAt: after(2 * min) };
    expect(watchdog.inspect([redriven], after(3 * min)).decisions).toEqual([]);
    expect(watchdog.inspect([redriven], after(4 * min)).decisions).toHaveLength(1);
  });

  it('leaves states that wait on humans, and terminal states, alone', () => {
    const waiting = ['planned', 'blocked', 'in_review', 'done', 'failed', 'cancelled', 'timed_out'] as const;
    const report = watchdog.inspect(
      waiting.map((state) => item({ state })),
      after(365 * 24 * 60 * min),
    );
    expect(report).toEqual({ decisions: [], nextCheckAt: null });
  });

  it('tells when to look again', () => {
    const report = watchdog.inspect(
      [
        item({ state: 'provisioning' }),
        item({ id: 'w2', state: 'merged', stateEnteredAt: after(-min) }),
        item({ id: 'w3', state: 'queued' }),
      ],
      after(30_000),
    );
    expect(report.decisions).toEqual([]);
    expect(report.nextCheckAt).toEqual(after(min));
  });

  it('only proposes exits the state machine allows', () => {
    expect(() => new Watchdog({ in_review: { onExpiry: 'fail', afterMs: 1 } })).toThrow(
      'watchdog rule for in_review would move it to failed, which the state machine forbids',
    );
    expect(
      () => new Watchdog(defaultWatchdogRules, new RetryPolicy(), new WorkItemStateMachine()),
    ).not.toThrow();
  });
});
