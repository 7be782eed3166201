import { parseIngressEvent } from './ingress-event';
import * as f from './routing-table.fixtures';
import { context, decide, known, workItemId } from './routing-table.fixtures';

describe('routing table: GitHub', () => {
  describe('GitHub pull requests', () => {
    it('marks a merged Horizon PR merged', () => {
      expect(decide(f.prClosed({ merged: true }))).toEqual({
        rule: 'horizon-pr-merged',
        type: 'mark_merged',
        mergedBy: 'octocat',
        pullRequest: {
          repository: { id: 186853002, owner: 'acme', name: 'billing', fullName: 'acme/billing' },
          installationId: 57230341,
          forge: 'github',
          number: 42,
          branch: 'horizon/hzn-12-invoice-totals',
          htmlUrl: 'https://github.com/acme/billing/pull/42',
          workItemId: null,
        },
      });
    });

    it('knows a local forge pull request by its delivery source', () => {
      const event = f.prClosed({ merged: true });
      const local = parseIngressEvent({
        subject: event.subject,
        data: { ...event.data, delivery: { ...event.data.delivery, source: 'local' } },
      });
      expect(decide(local)).toMatchObject({ type: 'mark_merged', pullRequest: { forge: 'local' } });
    });

    it('cancels when a Horizon PR is closed without merging', () => {
      expect(decide(f.prClosed({ merged: false }))).toMatchObject({
        type: 'cancel',
        reason: 'pull request closed without merging by octocat',
      });
    });

    it('recognises a Horizon PR by the lookup when its branch lacks the prefix, and takes its work item from there', () => {
      const event = f.prClosed({ merged: true, headRef: 'feature/totals' });
      expect(decide(event).type).toBe('ignore');
      expect(decide(event, context({ knownPullRequests: known() }))).toMatchObject({
        type: 'mark_merged',
        pullRequest: { workItemId, branch: 'feature/totals' },
      });
    });

    it('honours a configured branch prefix', () => {
      const event = f.prClosed({ merged: true, headRef: 'bots/hzn-12' });
      expect(decide(event, context({ branchPrefix: 'bots/' })).type).toBe('mark_merged');
      expect(decide(f.prClosed({ merged: true }), context({ branchPrefix: 'bots/' }))).toMatchObject({
        type: 'ignore',
        reason: 'not a Horizon pull request',
      });
    });

    it('ignores PRs that are not Horizon’s', () => {
      expect(decide(f.prClosed({ merged: true, headRef: 'octocat/totals' }))).toEqual({
        rule: 'ignore-foreign-pull-requests',
        type: 'ignore',
        reason: 'not a Horizon pull request',
      });
    });
  });

  describe('GitHub reviews and comments', () => {
    it('starts a revise run on the same branch for a changes-requested review, carrying the whole review', () => {
      const decision = decide(
        f.review({ state: 'changes_requested', body: 'Totals must be in cents, not floats.' }),
      );
      expect(decision).toMatchObject({
        rule: 'horizon-pr-changes-requested',
        type: 'start_revise_run',
        requestedBy: 'octocat',
        pullRequest: { number: 42, branch: 'horizon/hzn-12-invoice-totals' },
        feedback: {
          kind: 'review',
          review: {
            id: 2318790423,
            state: 'changes_requested',
            body: 'Totals must be in cents, not floats.',
          },
        },
      });
    });

    it('treats a review that mentions the bot as a request, and an approval without mention as none', () => {
      expect(
        decide(f.review({ state: 'commented', body: '@horizon please add a test for empty invoices' })).type,
      ).toBe('start_revise_run');
      expect(decide(f.review({ state: 'approved', body: 'LGTM' }))).toMatchObject({ type: 'ignore' });
      expect(decide(f.review({ state: 'dismissed', body: '@horizon never mind' })).type).toBe('ignore');
    });

    it('starts a revise run for a review comment that mentions the bot, carrying that one comment', () => {
      const decision = decide(f.reviewComment({ body: '@horizon use `reduce` here' }));
      expect(decision).toMatchObject({
        rule: 'horizon-pr-review-comment-mention',
        type: 'start_revise_run',
        feedback: {
          kind: 'review_comment',
          comment: { id: 1797431577, path: 'src/invoices/totals.ts', line: 18 },
        },
      });
      expect(decide(f.reviewComment({ body: 'nice' })).type).toBe('ignore');
    });

    it('starts a revise run for a PR conversation comment that mentions the bot, when the PR is known', () => {
      const event = f.issueComment({ body: 'Hey @Horizon, rebase on main and fix the conflict.' });
      expect(decide(event)).toMatchObject({ type: 'ignore', reason: 'not a Horizon pull request' });
      expect(
        decide(event, context({ knownPullRequests: known('horizon/hzn-12-invoice-totals') })),
      ).toMatchObject({
        rule: 'horizon-pr-comment-mention',
        type: 'start_revise_run',
        pullRequest: {
          branch: 'horizon/hzn-12-invoice-totals',
          workItemId,
          htmlUrl: 'https://github.com/acme/billing/pull/42',
        },
        feedback: { kind: 'issue_comment', comment: { id: 2410954113 } },
      });
    });

    it('ignores comments on plain issues', () => {
      const event = f.issueComment({ body: '@horizon look at this', isPullRequest: false });
      expect(decide(event, context({ knownPullRequests: known() }))).toMatchObject({
        type: 'ignore',
        reason: 'no rule acts on hzn.ingress.github.issue_comment (created)',
      });
    });

    it('honours a configured mention handle', () => {
      const ctx = context({ mentionHandle: '@acme-bot', knownPullRequests: known() });
      expect(decide(f.issueComment({ body: '@acme-bot fix the lint' }), ctx).type).toBe('start_revise_run');
      expect(decide(f.issueComment({ body: '@horizon fix the lint' }), ctx).type).toBe('ignore');
    });

    it("ignores the bot's own reviews and comments, even when they mention it", () => {
      const ownComment = f.issueComment({
        body: 'Pushed a fix. Ask @horizon again if needed.',
        author: f.botLogin,
      });
      expect(decide(ownComment, context({ knownPullRequests: known() }))).toEqual({
        rule: 'ignore-own-github-feedback',
        type: 'ignore',
        reason: 'written by Horizon itself',
      });
      expect(decide(f.review({ state: 'changes_requested', body: 'x', author: f.botLogin })).type).toBe(
        'ignore',
      );
    });

    it('ignores reviews and comments on PRs that are not Horizon’s', () => {
      expect(
        decide(f.review({ state: 'changes_requested', body: 'no', headRef: 'octocat/x' })),
      ).toMatchObject({ reason: 'not a Horizon pull request' });
      expect(decide(f.reviewComment({ body: '@horizon hi', headRef: 'octocat/x' }))).toMatchObject({
        reason: 'not a Horizon pull request',
      });
    });

    it('ignores events no rule acts on, naming them', () => {
      expect(decide(f.githubPing())).toEqual({
        rule: 'nothing-to-do',
        type: 'ignore',
        reason: 'no rule acts on hzn.ingress.github.ping',
      });
    });
  });
});
