import { randomUUID } from 'node:crypto';
import { onPullRequestOpened, onStateChanged, Route } from './compose';

const workItemId = randomUUID();
const route = (sourceRefs: Route['sourceRefs']): Route => ({
  workItemId,
  title: 'Fix login',
  sourceRefs,
  lastRun: {
    outcome: 'succeeded',
    durationMs: 30_000,
    verification: [{ command: 'npm test', exitCode: 0 }],
    reason: null,
  },
  ownerId: null,
});
const pullRequest = {
  provider: 'github' as const,
  repo: { forge: 'github' as const, owner: 'acme', name: 'app' },
  number: 7,
  branch: 'b',
};

describe('compose', () => {
  it('reports only where the work item came from', () => {
    const out = onStateChanged(
      'env-1',
      { workItemId, from: 'queued', to: 'running', cause: 'sandbox ready', runId: null, sourceRefs: {} },
      route({}),
    );
    expect(out.map((n) => n.channel)).toEqual(['console']);
  });

  it('in review: Slack status and a final message with the PR link, a Linear comment, keyed by the PR', () => {
    const refs = {
      slackThread: { teamId: 'T', channel: 'C1', threadTs: '1.1' },
      trackerIssue: { provider: 'linear' as const, id: 'I1' },
      pullRequest,
    };
    const out = onStateChanged(
      'env-2',
      { workItemId, from: 'verifying', to: 'in_review', cause: 'PR opened', runId: null, sourceRefs: refs },
      route(refs),
    );
    expect(out.map((n) => n.dedupeKey)).toEqual([
      `slack:env-2`,
      `console:env-2`,
      `slack:final:${workItemId}:7`,
      `linear:issue:pr:${workItemId}:7`,
    ]);
    expect(out[0]).toMatchObject({
      updateKey: `status:${workItemId}`,
      body: ':eyes: *in review* · PR opened',
    });
    expect(out[2]!.body).toBe(
      ':white_check_mark: Pull request ready for review: <https://github.com/acme/app/pull/7|acme/app#7>\n• Run succeeded in 30 s\n• Verification: 1/1 passed',
    );
  });

  it('PR opened (after in_review, which had none): the same thread message and issue comment keys, and a session response', () => {
    const refs = {
      slackThread: { teamId: 'T', channel: 'C1', threadTs: '1.1' },
      trackerIssue: { provider: 'linear' as const, id: 'I1' },
      linearAgentSession: { id: 'S1' },
    };
    const pr = { repo: 'demo/cart', number: 3, url: 'http://127.0.0.1:8060/demo/cart/pull/3' };
    const out = onPullRequestOpened(route(refs), pr, ['Verification: 1/1 passed']);
    expect(out.map((n) => [n.channel, n.dedupeKey])).toEqual([
      ['slack', `slack:final:${workItemId}:3`],
      ['linear', `linear:issue:pr:${workItemId}:3`],
      ['linear', `linear:session:pr:${workItemId}:3`],
    ]);
    expect(out[0]!.body).toBe(
      ':white_check_mark: Pull request ready for review: <http://127.0.0.1:8060/demo/cart/pull/3|demo/cart#3>\n• Verification: 1/1 passed',
    );
    expect(out[1]).toMatchObject({ target: { issueId: 'I1' }, title: 'Pull request opened' });
    expect(out[1]!.body).toContain('[demo/cart#3](http://127.0.0.1:8060/demo/cart/pull/3)');
    expect(out[2]).toMatchObject({ target: { agentSessionId: 'S1' }, linearActivity: { type: 'response' } });
  });

  it('merged: completes the Linear issue once, whichever event says so', () => {
    const refs = { trackerIssue: { provider: 'linear' as const, id: 'I1' }, pullRequest };
    const merged = onStateChanged(
      'env-3',
      { workItemId, from: 'in_review', to: 'merged', cause: 'merged', runId: null, sourceRefs: refs },
      route(refs),
    );
    const done = onStateChanged(
      'env-4',
      { workItemId, from: 'merged', to: 'done', cause: 'done', runId: null, sourceRefs: refs },
      route(refs),
    );
    const completions = [...merged, ...done].filter((n) => n.completeIssue);
    expect(new Set(completions.map((n) => n.dedupeKey))).toEqual(
      new Set([`linear:issue:complete:${workItemId}`]),
    );
  });

  it('failures go to a Linear session as an error activity and to the issue as a comment, under distinct keys', () => {
    const refs = {
      trackerIssue: { provider: 'linear' as const, id: 'I1' },
      linearAgentSession: { id: 'S1' },
    };
    const out = onStateChanged(
      'env-5',
      { workItemId, from: 'running', to: 'timed_out', cause: 'deadline', runId: null, sourceRefs: refs },
      route(refs),
    );
    const linear = out.filter((n) => n.channel === 'linear');
    expect(linear.map((n) => n.linearActivity?.type ?? 'comment')).toEqual(['comment', 'error']);
    expect(new Set(linear.map((n) => n.dedupeKey)).size).toBe(2);
  });
});
