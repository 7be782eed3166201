import * as f from './routing-table.fixtures';
import { context, decide, known, workItemId } from './routing-table.fixtures';
import { parseIngressEvent } from './ingress-event';
import { branchKey } from './routing-rules.ci';

/** What the local forge says of an open PR after a merge left it conflicting with its base. */
function mergeConflict(headRef: string) {
  const opened = f.prOpened(headRef).data as { delivery: object; pullRequest: object };
  return parseIngressEvent({
    subject: 'hzn.ingress.github.merge_conflict',
    data: {
      ...opened,
      delivery: { ...opened.delivery, event: 'merge_conflict', action: null },
      mergedNumber: 41,
      reason: 'merge conflict in src/totals.ts',
    },
  });
}

/** The CI station's rows of the routing table (issue #16): failing checks and the off switch. */
describe('routing table: CI failures', () => {
  const horizonPr = {
    repository: { id: 186853002, owner: 'acme', name: 'billing', fullName: 'acme/billing' },
    installationId: 57230341,
    forge: 'github',
    number: 42,
    htmlUrl: '',
  };
  const failing = {
    kind: 'check_run',
    id: 4118906254,
    name: 'test (20.x)',
    conclusion: 'failure',
    headSha: '8f3c1e2d4b5a69788796a5b4c3d2e1f0a9b8c7d6',
  };

  it.each([
    ['a failed check run', {}, 'failure'],
    ['a failed check suite', { kind: 'check_suite' as const }, 'failure'],
    ['a failed workflow run', { kind: 'workflow_run' as const }, 'failure'],
    ['a timed-out check run', { conclusion: 'timed_out' }, 'timed_out'],
    [
      'a workflow that could not start',
      { kind: 'workflow_run' as const, conclusion: 'startup_failure' },
      'startup_failure',
    ],
  ])('starts a fix run for %s on a Horizon PR, by its branch prefix', (_, opts, conclusion) => {
    expect(decide(f.checkCompleted(opts))).toEqual({
      rule: 'horizon-pr-check-failed',
      type: 'start_fix_run',
      pullRequest: { ...horizonPr, branch: 'horizon/hzn-12-invoice-totals', workItemId: null },
      check: { ...failing, kind: 'kind' in opts ? opts.kind : 'check_run', conclusion },
    });
  });

  it('takes the branch and work item of a PR the lookup knows, whatever the check says its branch is', () => {
    expect(
      decide(f.checkCompleted({ headBranch: null }), context({ knownPullRequests: known('feature/totals') })),
    ).toMatchObject({
      rule: 'horizon-pr-check-failed',
      pullRequest: { number: 42, branch: 'feature/totals', workItemId },
    });
  });

  it('finds the PR of a failing commit status, which names a branch and no PR, through the branch lookup', () => {
    const status = f.checkCompleted({
      kind: 'status',
      name: 'ci/jenkins',
      conclusion: 'error',
      pullRequestNumbers: [],
    });
    expect(decide(status)).toMatchObject({ rule: 'nothing-to-do', type: 'ignore' });
    const byBranch = new Map([
      [
        branchKey('acme/billing', 'horizon/hzn-12-invoice-totals'),
        { branch: 'horizon/hzn-12-invoice-totals', workItemId, number: 42 },
      ],
    ]);
    expect(decide(status, context({ pullRequestsByBranch: byBranch }))).toMatchObject({
      rule: 'horizon-pr-check-failed',
      pullRequest: { number: 42, workItemId },
      check: { kind: 'status', name: 'ci/jenkins', conclusion: 'error' },
    });
  });

  it.each([
    ['a passing check', { conclusion: 'success' }],
    ['a neutral check', { conclusion: 'neutral' }],
    ['a cancelled check', { conclusion: 'cancelled' }],
    ['a pending status', { kind: 'status' as const, status: 'in_progress', conclusion: null }],
    ['a check on a person’s PR', { headBranch: 'octocat/totals' }],
    ['a check on no PR', { pullRequestNumbers: [], headBranch: 'main' }],
    ['Horizon’s own review verdict', { name: 'Horizon review' }],
    ['Horizon’s own verification', { name: 'Horizon verification' }],
  ])('starts nothing for %s', (_, opts) => {
    expect(decide(f.checkCompleted(opts))).toMatchObject({ rule: 'nothing-to-do', type: 'ignore' });
  });

  it('turns the fixes off on `@horizon stop` in a Horizon PR’s conversation, before the mention rule', () => {
    const known42 = context({ knownPullRequests: known('horizon/hzn-12-invoice-totals') });
    expect(decide(f.issueComment({ body: '@horizon stop, I will fix CI myself' }), known42)).toEqual({
      rule: 'horizon-pr-stop-autofix',
      type: 'stop_autofix',
      pullRequest: {
        ...horizonPr,
        htmlUrl: 'https://github.com/acme/billing/pull/42',
        branch: 'horizon/hzn-12-invoice-totals',
        workItemId,
      },
      requestedBy: 'octocat',
    });
    expect(decide(f.issueComment({ body: '@horizon stopping here is wrong' }), known42)).toMatchObject({
      rule: 'horizon-pr-comment-mention',
    });
    expect(decide(f.issueComment({ body: '@horizon stop' }))).toMatchObject({
      rule: 'ignore-foreign-pull-requests',
    });
  });

  it('turns the fixes back on on `@horizon resume`, and takes `resumes` for a request to revise', () => {
    const known42 = context({ knownPullRequests: known('horizon/hzn-12-invoice-totals') });
    expect(decide(f.issueComment({ body: 'CI is green again. @horizon resume' }), known42)).toMatchObject({
      rule: 'horizon-pr-resume-autofix',
      type: 'resume_autofix',
      pullRequest: { number: 42, workItemId },
      requestedBy: 'octocat',
    });
    expect(decide(f.issueComment({ body: '@horizon resumes are fine' }), known42)).toMatchObject({
      rule: 'horizon-pr-comment-mention',
    });
  });

  it('rebases a Horizon PR a merge left conflicting, and leaves a person’s alone', () => {
    expect(decide(mergeConflict('horizon/hzn-12-invoice-totals'))).toEqual({
      rule: 'horizon-pr-conflicted',
      type: 'start_rebase_run',
      pullRequest: {
        ...horizonPr,
        htmlUrl: 'https://github.com/acme/billing/pull/42',
        branch: 'horizon/hzn-12-invoice-totals',
        workItemId: null,
      },
      baseRef: 'main',
      headSha: '8f3c1e2d4b5a69788796a5b4c3d2e1f0a9b8c7d6',
      mergedNumber: 41,
      reason: 'merge conflict in src/totals.ts',
    });
    expect(decide(mergeConflict('octocat/totals'))).toMatchObject({ rule: 'ignore-foreign-pull-requests' });
  });

  it('turns the fixes off when a Horizon PR is labeled horizon:no-autofix, and only that label', () => {
    const labeled = (
      label: string,
      action: 'labeled' | 'unlabeled' = 'labeled',
      headRef = 'horizon/hzn-12-invoice-totals',
    ) =>
      parseIngressEvent({
        subject: 'hzn.ingress.github.pull_request',
        data: { ...f.prOpened(headRef).data, action, label },
      });
    expect(decide(labeled('horizon:no-autofix'))).toMatchObject({
      rule: 'horizon-pr-no-autofix-label',
      type: 'stop_autofix',
      pullRequest: { number: 42, branch: 'horizon/hzn-12-invoice-totals' },
      requestedBy: f.botLogin,
    });
    expect(decide(labeled('bug'))).toMatchObject({ rule: 'nothing-to-do' });
    expect(decide(labeled('horizon:no-autofix', 'unlabeled'))).toMatchObject({
      rule: 'horizon-pr-no-autofix-label-removed',
      type: 'resume_autofix',
      pullRequest: { number: 42 },
    });
    expect(decide(labeled('bug', 'unlabeled'))).toMatchObject({ rule: 'nothing-to-do' });
    expect(decide(labeled('horizon:no-autofix', 'labeled', 'octocat/totals'))).toMatchObject({
      rule: 'ignore-foreign-pull-requests',
    });
  });
});
