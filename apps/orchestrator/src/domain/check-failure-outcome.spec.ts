import { afterCheckFailure, CheckFailureFacts } from './check-failure-outcome';

describe('after a failing check on a Horizon PR', () => {
  const sha = '8f3c1e2d4b5a69788796a5b4c3d2e1f0a9b8c7d6';
  const facts = (over: Partial<CheckFailureFacts> = {}): CheckFailureFacts => ({
    itemState: 'in_review',
    stopped: false,
    roundsDone: 0,
    roundLimit: 2,
    exhaustionReported: false,
    checkSha: sha,
    branchSha: sha,
    ...over,
  });

  it.each([
    ['the first failure', {}, 'fix', { type: 'fix', round: 1, reason: 'fix round 1 of 2' }],
    ['the second', { roundsDone: 1 }, 'fix', { type: 'fix', round: 2, reason: 'fix round 2 of 2' }],
    [
      'the third',
      { roundsDone: 2 },
      'rounds-spent',
      { type: 'report_exhausted', reason: '2 of 2 fix rounds spent' },
    ],
    ['a fourth', { roundsDone: 2, exhaustionReported: true }, 'rounds-spent-reported', { type: 'ignore' }],
    ['any, with no rounds allowed', { roundLimit: 0 }, 'rounds-spent', { type: 'report_exhausted' }],
    ['one after a merge', { itemState: 'merged' as const }, 'pull-request-closed', { type: 'ignore' }],
    [
      'one after the PR closed',
      { itemState: 'cancelled' as const },
      'pull-request-closed',
      { type: 'ignore' },
    ],
    ['one after `@horizon stop`', { stopped: true }, 'autofix-stopped', { type: 'ignore' }],
    ['one while a run pushes', { itemState: 'revising' as const }, 'run-in-flight', { type: 'ignore' }],
    ['one of an older commit', { branchSha: 'a'.repeat(40) }, 'check-of-an-older-commit', { type: 'ignore' }],
    ['one on a branch whose commits Horizon does not know', { branchSha: null }, 'fix', { type: 'fix' }],
  ])('%s: %s', (_, over, rule, outcome) => {
    const decided = afterCheckFailure(facts(over));
    expect(decided.rule).toBe(rule);
    expect(decided.outcome).toMatchObject(outcome);
  });
});
