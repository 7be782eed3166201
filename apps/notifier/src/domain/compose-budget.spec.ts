import { randomUUID } from 'node:crypto';
import { notifyDeliver, slackBudgetButtonSchema, SLACK_BUDGET_ACTIONS } from '@horizon/contracts';
import { onStateChanged, type Route } from './compose';

const workItemId = randomUUID();
const runId = randomUUID();
const refs = {
  slackThread: { teamId: 'T', channel: 'C1', threadTs: '1.1' },
  linearAgentSession: { id: 'S1' },
  pullRequest: {
    provider: 'local' as const,
    repo: { forge: 'local' as const, owner: 'acme', name: 'app' },
    number: 3,
    branch: 'horizon/x',
  },
};
const route: Route = { workItemId, title: 'Fix login', sourceRefs: refs, lastRun: null, ownerId: null };
const cause =
  'its run is held at its budget (run limit of $1.00: $1.02 of $1.00 spent); continue with more, or stop, by 2026-12-05T10:00:00.000Z';

describe('the budget question', () => {
  const out = onStateChanged(
    'env-9',
    { workItemId, from: 'running', to: 'waiting', cause, runId, sourceRefs: refs },
    route,
    { usd: 2.5, tokens: 150_000, minutes: 20 },
  );

  it('asks where the work came from: buttons in the Slack thread, Linear, the pull request, the console', () => {
    expect(out.map((n) => n.dedupeKey)).toEqual([
      'slack:env-9',
      'console:env-9',
      'slack:budget:env-9',
      'linear:session:budget:env-9',
      'github:budget:env-9',
    ]);
    for (const n of out) expect(notifyDeliver.data.safeParse(n).success).toBe(true);
  });

  it('states what Continue grants on the button and in its value, and says how to answer elsewhere', () => {
    const slack = out.find((n) => n.dedupeKey === 'slack:budget:env-9')!;
    expect(slack.body).toContain('Continue with $2.50, 150K tokens and 20 minutes more, or stop?');
    expect(slack.actions!.map((a) => [a.actionId, a.label])).toEqual([
      [SLACK_BUDGET_ACTIONS.continue, 'Continue (+$2.5)'],
      [SLACK_BUDGET_ACTIONS.continueWith, 'Continue with…'],
      [SLACK_BUDGET_ACTIONS.stop, 'Stop'],
    ]);
    expect(slackBudgetButtonSchema.parse(JSON.parse(slack.actions![0]!.value))).toEqual({
      workItemId,
      extraUsd: 2.5,
      extraTokens: 150_000,
      extraMinutes: 20,
    });
    expect(JSON.parse(slack.actions![1]!.value)).toEqual({ workItemId });
    expect(JSON.parse(slack.actions![2]!.value)).toEqual({ workItemId });
    const github = out.find((n) => n.channel === 'github')!;
    expect(github.target).toEqual({ forge: 'local', repo: 'acme/app', runId, number: '3' });
    expect(github.body).toContain(`horizon budget continue ${workItemId} --extra 2.5`);
    expect(github.body).toContain('`--extra-minutes 20` for a run at its time limit');
  });

  it('grants the configured minutes with Continue when the run reached its wall time', () => {
    const wallCause =
      'its run is held at its budget (run limit of 30 minutes: 30 min 2 s of 30 min worked); continue with more, or stop, by 2026-12-05T10:00:00.000Z';
    const [slack] = onStateChanged(
      'env-10',
      { workItemId, from: 'running', to: 'waiting', cause: wallCause, runId, sourceRefs: refs },
      route,
      { usd: 2, tokens: 200_000, minutes: 15 },
    ).filter((n) => n.dedupeKey === 'slack:budget:env-10');
    expect(slack!.body).toContain('run limit of 30 minutes');
    expect(JSON.parse(slack!.actions![0]!.value)).toMatchObject({ extraMinutes: 15 });
  });
});
