import { decide, type SandboxState } from './sandbox-state';

describe('sandbox command decisions', () => {
  const table: Array<[SandboxState, 'cancel' | 'pause' | 'resume', string]> = [
    ['creating', 'cancel', 'apply:destroyed'],
    ['ready', 'cancel', 'apply:destroyed'],
    ['paused', 'cancel', 'apply:destroyed'],
    ['destroyed', 'cancel', 'noop'],
    ['failed', 'cancel', 'noop'],
    ['ready', 'pause', 'apply:paused'],
    ['paused', 'pause', 'noop'],
    ['creating', 'pause', 'reject'],
    ['destroyed', 'pause', 'reject'],
    ['paused', 'resume', 'apply:ready'],
    ['ready', 'resume', 'noop'],
    ['failed', 'resume', 'reject'],
  ];

  it.each(table)('%s + %s → %s', (state, command, expected) => {
    const decision = decide(state, command);
    expect(decision.kind === 'apply' ? `apply:${decision.to}` : decision.kind).toBe(expected);
  });

  it('says why it refuses', () => {
    expect(decide('destroyed', 'pause')).toEqual({
      kind: 'reject',
      reason: 'cannot pause a sandbox that is destroyed',
    });
  });
});
