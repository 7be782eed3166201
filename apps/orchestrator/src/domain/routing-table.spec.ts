import { ZodError } from 'zod';
import { parseIngressEvent, UnknownIngressSubjectError } from './ingress-event';
import * as f from './routing-table.fixtures';
import { context, decide, workItemId } from './routing-table.fixtures';
import { mentions, route, routingRules, threadKey } from './routing-table';

describe('routing table', () => {
  it('is a table of uniquely named rules ending in a catch-all', () => {
    const names = routingRules.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names[names.length - 1]).toBe('nothing-to-do');
  });

  describe('Linear', () => {
    it('starts a plan run when an agent session is created', () => {
      const decision = decide(f.agentSession('created', 'Plan this using codex'));
      expect(decision).toMatchObject({
        rule: 'linear-session-created',
        type: 'start_plan_run',
        agentSessionId: 'f5a3c9e1-2b4d-4e6f-8a0b-1c2d3e4f5a6b',
        issue: { identifier: 'HZN-12' },
        // The words that asked for the agent, which may say which harness to use.
        prompt: 'Plan this using codex',
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

    it("passes a person's follow-up on to the item, from the console and by them", () => {
      expect(decide(f.apiFollowUp())).toEqual({
        rule: 'api-follow-up',
        type: 'follow_up_work_item',
        workItemId,
        text: 'Keep the old endpoint working too.',
        origin: 'console',
        author: 'ada',
      });
    });

    it('retries a work item for the person who asked', () => {
      expect(decide(f.apiRetry())).toEqual({
        rule: 'api-retry',
        type: 'retry_work_item',
        workItemId,
        requestedBy: 'console:ada',
      });
    });

    it('starts a planned work item for the person who asked', () => {
      expect(decide(f.apiStart())).toEqual({
        rule: 'api-start',
        type: 'start_work_item',
        workItemId,
        requestedBy: 'api-token:7c1e',
      });
    });

    it('refuses a follow-up without text or from anywhere but the console', () => {
      const data = (f.apiFollowUp() as { data: Record<string, unknown> }).data;
      const subject = 'hzn.ingress.api.work_item_follow_up';
      expect(() => parseIngressEvent({ subject, data: { ...data, text: '' } })).toThrow(ZodError);
      expect(() => parseIngressEvent({ subject, data: { ...data, origin: 'slack' } })).toThrow(ZodError);
    });
  });

  describe('webhook triggers', () => {
    it('starts the work a trigger rendered from its delivery, whatever its format', () => {
      expect(decide(f.triggerFired())).toEqual({
        rule: 'webhook-trigger-fired',
        type: 'start_triggered_work',
        firing: f.triggerFiredData,
      });
    });
  });

  describe('schedules', () => {
    it('starts the scheduled work with the whole firing', () => {
      expect(decide(f.scheduleFired())).toEqual({
        rule: 'schedule-tick',
        type: 'start_scheduled_run',
        firing: f.scheduleFiredData,
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
