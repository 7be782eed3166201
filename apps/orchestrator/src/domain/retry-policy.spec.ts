import { failureClassOf, RetryPolicy } from './retry-policy';

const now = new Date('2026-11-24T10:00:00.000Z');

describe('RetryPolicy', () => {
  const policy = new RetryPolicy({ maxAttempts: 5, baseDelayMs: 1000, factor: 2, maxDelayMs: 5000 });

  it('backs off exponentially up to a ceiling', () => {
    expect([1, 2, 3, 4, 5].map((n) => policy.delayAfter(n))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  it('retries infra failures with the next attempt number and a not-before time', () => {
    const decision = policy.afterFailure(
      { failureClass: 'infra', attempt: 2, reason: 'sandbox did not boot' },
      now,
    );
    expect(decision).toEqual({
      retry: true,
      attempt: 3,
      delayMs: 2000,
      notBefore: new Date('2026-11-24T10:00:02.000Z'),
      reason: 'infra failure on attempt 2 of 5, retrying in 2s: sandbox did not boot',
    });
  });

  it('stops after the last attempt', () => {
    expect(policy.afterFailure({ failureClass: 'infra', attempt: 4, reason: 'x' }, now).retry).toBe(true);
    expect(policy.afterFailure({ failureClass: 'infra', attempt: 5, reason: 'runner lost' }, now)).toEqual({
      retry: false,
      reason: 'infra failure on attempt 5 of 5, none left: runner lost',
    });
  });

  it('never retries an agent failure', () => {
    expect(
      policy.afterFailure({ failureClass: 'agent', attempt: 1, reason: 'tests still fail' }, now),
    ).toEqual({
      retry: false,
      reason: 'agent failure is final: tests still fail',
    });
  });

  it('uses three attempts and a 30 s base by default', () => {
    const defaults = new RetryPolicy();
    expect(defaults.afterFailure({ failureClass: 'infra', attempt: 1, reason: 'x' }, now)).toMatchObject({
      retry: true,
      delayMs: 30_000,
    });
    expect(defaults.afterFailure({ failureClass: 'infra', attempt: 3, reason: 'x' }, now).retry).toBe(false);
  });

  it('classifies run outcomes', () => {
    expect(failureClassOf('infra_error')).toBe('infra');
    expect(failureClassOf('failed')).toBe('agent');
    expect(failureClassOf('succeeded')).toBeNull();
    expect(failureClassOf('timed_out')).toBeNull();
    expect(failureClassOf('cancelled')).toBeNull();
  });
});
