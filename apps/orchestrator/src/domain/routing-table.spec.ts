import { ZodError } from 'zod';
import { parseIngressEvent, UnknownIngressSubjectError } from './ingress-event';
import { RoutingDecision } from './routing-decision';
import * as f from './routing-table.fixtures';
import {
  KnownPullRequest,
  mentions,
  pullRequestKey,
  route,
  RoutingContext,
  routingDefaults,
  routingRules,
  threadKey,
} from './routing-table';

const workItemId = '3d6f0a57-9a8b-4c1d-8e2f-7a6b5c4d3e2f';

function context(overrides: Partial<RoutingContext> = {}): RoutingContext {
  return {
    botLogin: f.botLogin,
    mentionHandle: routingDefaults.mentionHandle,
    branchPrefix: routingDefaults.branchPrefix,
    linearAppUserId: f.linearAppUserId,
    slackBotUserId: f.slackBotUserId,
    activeThreadRuns: new Set(),
    knownPullRequests: new Map(),
    ...overrides,
  };
}

function known(branch = 'feature/totals'): Map<string, KnownPullRequest> {
  return new Map([[pullRequestKey('acme/billing', 42), { branch, workItemId }]]);
}

function decide(event: ReturnType<typeof f.prClosed>, ctx = context()): RoutingDecision & { rule: string } {
  const outcome = route(event, ctx);
  return { ...outcome.decision, rule: outcome.rule };
}

describe('routing table', () => {
  it('is a table of uniquely named rules ending in a catch-all', () => {
    const names = routingRules.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names[names.length - 1]).toBe('nothing-to-do');
  });

  describe('Linear', () => {
    it('starts a plan run when an agent session is created', () => {
      const decision = decide(f.agentSession('created'));
      expect(decision).toMatchObject({
        rule: 'linear-session-created',
        type: 'start_plan_run',
        agentSessionId: 'f5a3c9e1-2b4d-4e6f-8a0b-1c2d3e4f5a6b',
        issue: { identifier: 'HZN-12' },
      });
    });

    it('continues the session when a human prompts it', () => {
      expect(decide(f.agentSession('prompted', 'Split the API part out, please'))).toMatchObject({
        type: 'continue_session',
        prompt: 'Split the API part out, please',
      });
    });

    it('starts an implement run when an issue moves to a started state', () => {
      const event = f.linearIssueUpdate({
        changes: { state: { fromId: 'todo-state', toId: 'a1b2c3d4-0000-4000-8000-00000000aaaa' } },
      });
      expect(decide(event)).toMatchObject({
        rule: 'linear-issue-started',
        type: 'start_implement_run',
        trigger: 'started',
        issue: { id: '9cfb482a-81e3-4154-b5b9-2c805e70a02d' },
      });
    });

    it('does not start work for a move to an unstarted state or an edit of another field', () => {
      const toBacklog = f.linearIssueUpdate({
        stateType: 'backlog',
        changes: { state: { fromId: 'a', toId: 'b' } },
      });
      expect(decide(toBacklog)).toMatchObject({
        type: 'ignore',
        reason: 'no rule acts on hzn.ingress.linear.issue (update)',
      });
      expect(decide(f.linearIssueUpdate({ changes: { relations: true } })).type).toBe('ignore');
    });

    it('cancels the work when a human moves its issue to a canceled state', () => {
      const event = f.linearIssueUpdate({
        stateType: 'canceled',
        changes: { state: { fromId: 'todo-state', toId: 'canceled-state' } },
      });
      expect(decide(event)).toMatchObject({
        rule: 'linear-issue-canceled',
        type: 'cancel_tracker_issue',
        issue: { id: '9cfb482a-81e3-4154-b5b9-2c805e70a02d' },
      });
      const byHorizon = f.linearIssueUpdate({
        stateType: 'canceled',
        actorId: f.linearAppUserId,
        changes: { state: { fromId: 'todo-state', toId: 'canceled-state' } },
      });
      expect(decide(byHorizon).type).toBe('ignore');
    });

    it('starts an implement run when the issue is delegated to Horizon', () => {
      const event = f.linearIssueUpdate({
        stateType: 'unstarted',
        delegateId: f.linearAppUserId,
        changes: { delegate: { fromId: null, toId: f.linearAppUserId } },
      });
      expect(decide(event)).toMatchObject({
        rule: 'linear-issue-delegated-to-horizon',
        type: 'start_implement_run',
        trigger: 'delegated',
      });
      const toSomeoneElse = f.linearIssueUpdate({
        stateType: 'unstarted',
        changes: { delegate: { fromId: null, toId: 'other-agent' } },
      });
      expect(decide(toSomeoneElse).type).toBe('ignore');
    });

    it("ignores Horizon's own changes to issues, so its status updates start nothing", () => {
      const event = f.linearIssueUpdate({
        actorId: f.linearAppUserId,
        changes: { state: { fromId: 'a', toId: 'b' } },
      });
      expect(decide(event)).toEqual({
        rule: 'ignore-own-linear-changes',
        type: 'ignore',
        reason: 'changed by Horizon itself',
      });
    });
  });

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

    it('ignores PRs that are not Horizon’s, and PR actions other than closed', () => {
      expect(decide(f.prClosed({ merged: true, headRef: 'octocat/totals' }))).toEqual({
        rule: 'ignore-foreign-pull-requests',
        type: 'ignore',
        reason: 'not a Horizon pull request',
      });
      expect(decide(f.prOpened())).toMatchObject({
        type: 'ignore',
        reason: 'no rule acts on hzn.ingress.github.pull_request (opened)',
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

  describe('Slack', () => {
    const active = () => context({ activeThreadRuns: new Set([threadKey(f.slackThread)]) });

    it('starts a run bound to the thread of a mention', () => {
      expect(decide(f.slackMention())).toMatchObject({
        rule: 'slack-mention',
        type: 'start_thread_run',
        thread: f.slackThread,
        message: { user: 'U02OCTOCAT' },
      });
    });

    it('passes a reply on as a follow-up while a run for that thread is active', () => {
      const reply = f.slackReply('It only flakes on CI, not locally.');
      expect(decide(reply, active())).toMatchObject({
        rule: 'slack-reply-in-active-thread',
        type: 'follow_up_prompt',
        thread: f.slackThread,
        message: { ts: '1732443390.004500' },
      });
      expect(decide(reply)).toMatchObject({ type: 'ignore' });
    });

    it('treats a mention inside an active thread as a follow-up, not a second run', () => {
      expect(decide(f.slackMention(), active())).toMatchObject({
        rule: 'slack-mention-in-active-thread',
        type: 'follow_up_prompt',
      });
    });

    it('leaves a reply that mentions the bot to its app_mention delivery', () => {
      expect(decide(f.slackReply(`<@${f.slackBotUserId}> also check the locale`), active())).toMatchObject({
        rule: 'slack-reply-mentioning-bot',
        type: 'ignore',
      });
    });
  });

  describe('API', () => {
    it('creates a work item with the whole request', () => {
      expect(decide(f.apiCreate())).toEqual({
        rule: 'api-create',
        type: 'create_work_item',
        request: f.apiCreateData,
      });
    });

    it('cancels a work item', () => {
      expect(decide(f.apiCancel())).toEqual({
        rule: 'api-cancel',
        type: 'cancel_work_item',
        workItemId,
        reason: 'superseded by HZN-14',
        requestedBy: 'cli:octocat',
      });
    });
  });

  it('routes through a table given as data', () => {
    const only = [
      {
        name: 'everything',
        matches: () => true,
        decide: () => ({ type: 'ignore' as const, reason: 'test' }),
      },
    ];
    expect(route(f.apiCreate(), context(), only)).toEqual({
      rule: 'everything',
      decision: { type: 'ignore', reason: 'test' },
    });
    expect(route(f.apiCreate(), context(), [])).toEqual({
      rule: 'none',
      decision: { type: 'ignore', reason: 'no rule matches hzn.ingress.api.work_item_create' },
    });
  });
});

describe('mentions', () => {
  it.each([
    ['@horizon fix it', true],
    ['please, @HORIZON.', true],
    ['(@horizon) ok', true],
    ['@horizon-ops fix it', false],
    ['mail me@horizon.dev', false],
    ['horizon fix it', false],
  ])('%j → %s', (text, expected) => {
    expect(mentions(text, '@horizon')).toBe(expected);
  });
});

describe('parseIngressEvent', () => {
  it('refuses unknown subjects and data that breaks the contract', () => {
    expect(() => parseIngressEvent({ subject: 'hzn.ingress.github.star', data: {} })).toThrow(
      UnknownIngressSubjectError,
    );
    expect(() =>
      parseIngressEvent({ subject: 'hzn.ingress.api.work_item_cancel', data: { workItemId: 'nope' } }),
    ).toThrow(ZodError);
  });
});
