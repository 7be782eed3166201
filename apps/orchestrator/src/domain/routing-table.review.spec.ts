import * as f from './routing-table.fixtures';
import { context, decide, known, workItemId } from './routing-table.fixtures';

/** The agent review station's rows of the routing table (issue #16). */
describe('routing table: agent review', () => {
  const optedIn = () => context({ reviewHumanPullRequests: new Set(['acme/billing']) });

  it.each(['opened', 'synchronize'] as const)('reviews a Horizon PR when it is %s', (action) => {
    expect(decide(f.prOpened('horizon/hzn-12-invoice-totals', action))).toEqual({
      rule: 'review-horizon-pr',
      type: 'start_review',
      pullRequest: {
        repository: { id: 186853002, owner: 'acme', name: 'billing', fullName: 'acme/billing' },
        installationId: 57230341,
        forge: 'github',
        number: 42,
        author: f.botLogin,
        headRef: 'horizon/hzn-12-invoice-totals',
        headSha: '8f3c1e2d4b5a69788796a5b4c3d2e1f0a9b8c7d6',
        baseRef: 'main',
        htmlUrl: 'https://github.com/acme/billing/pull/42',
        horizon: { workItemId: null },
      },
    });
  });

  it('takes the work item of a Horizon PR the lookup knows', () => {
    expect(decide(f.prOpened('feature/totals'), context({ knownPullRequests: known() }))).toMatchObject({
      rule: 'review-horizon-pr',
      pullRequest: { horizon: { workItemId } },
    });
  });

  it('leaves a person’s PR alone unless its repository opts in', () => {
    expect(decide(f.prOpened('octocat/totals'))).toEqual({
      rule: 'ignore-foreign-pull-requests',
      type: 'ignore',
      reason: 'not a Horizon pull request',
    });
    expect(
      decide(f.prOpened('octocat/totals'), context({ reviewHumanPullRequests: new Set(['acme/other']) })),
    ).toMatchObject({ rule: 'ignore-foreign-pull-requests' });
  });

  it.each(['opened', 'synchronize'] as const)(
    'reviews a person’s PR %s in a repository that opted in, as nobody’s work item',
    (action) => {
      expect(decide(f.prOpened('octocat/totals', action), optedIn())).toMatchObject({
        rule: 'review-human-pr',
        type: 'start_review',
        pullRequest: { author: 'octocat', headRef: 'octocat/totals', horizon: null },
      });
    },
  );

  it.each(['opened', 'synchronize'] as const)(
    'reviews no PR %s in a repository that turned the agent review off, and says why',
    (action) => {
      const off = context({ agentReviewOff: new Set(['acme/billing']) });
      expect(decide(f.prOpened('horizon/hzn-12-invoice-totals', action), off)).toEqual({
        rule: 'horizon-pr-review-off',
        type: 'ignore',
        reason: 'the agent review is off in this repository (review.enabled: false)',
      });
      expect(decide(f.prOpened('octocat/totals', action), off)).toMatchObject({
        rule: 'ignore-foreign-pull-requests',
      });
      // Off in another repository changes nothing here.
      const elsewhere = context({ agentReviewOff: new Set(['acme/other']) });
      expect(decide(f.prOpened('horizon/hzn-12-invoice-totals', action), elsewhere)).toMatchObject({
        rule: 'review-horizon-pr',
      });
    },
  );

  it('still marks a Horizon PR merged in a repository without the agent review', () => {
    const off = context({ agentReviewOff: new Set(['acme/billing']) });
    expect(decide(f.prClosed({ merged: true }), off)).toMatchObject({ rule: 'horizon-pr-merged' });
  });

  it('never reviews a closed PR, and a person’s closed PR stays foreign even when opted in', () => {
    expect(decide(f.prClosed({ merged: true }))).toMatchObject({ rule: 'horizon-pr-merged' });
    expect(decide(f.prClosed({ merged: false, headRef: 'octocat/totals' }), optedIn())).toMatchObject({
      rule: 'ignore-foreign-pull-requests',
    });
  });

  it('starts nothing for the bot’s own review coming back as a webhook', () => {
    const own = f.review({ state: 'changes_requested', body: 'Rename it.', author: f.botLogin });
    expect(decide(own)).toMatchObject({ rule: 'ignore-own-github-feedback', type: 'ignore' });
  });
});
