import { randomUUID } from 'node:crypto';
import {
  EnvelopeOf,
  apiWorkItemCreate,
  githubPullRequest,
  linearAgentSession,
  linearIssueChanged,
  trackerCreatePlannedIssues,
  workItemPlanProposed,
} from '@horizon/contracts';
import { OrchestratorStack, until } from './harness';
import {
  createRequest,
  linearIssueMoved,
  linearIssueStarted,
  linearSessionCreated,
  pullRequestClosed,
} from '@horizon/testing';

const planAnswer = (issues: object[]) =>
  'Here is the plan.\n\n```json\n' + JSON.stringify({ issues }, null, 2) + '\n```';

const chain = [
  { key: 'A', title: 'Add subtotal', acceptanceCriteria: ['sums the lines'] },
  { key: 'B', title: 'Add discount codes', blockedBy: ['A'] },
  { key: 'C', title: 'Add tax', blockedBy: ['B'] },
];

interface Child {
  id: string;
  title: string;
  state: string;
  description: string;
  sourceRefs: { trackerIssue?: { provider: string; id: string; teamId?: string } };
}

describe('orchestrator: a plan run becomes its child items', () => {
  let stack: OrchestratorStack;
  const trackerCommands: EnvelopeOf<typeof trackerCreatePlannedIssues>[] = [];
  const proposals: EnvelopeOf<typeof workItemPlanProposed>[] = [];

  beforeAll(async () => {
    stack = await OrchestratorStack.start({ env: { LINEAR_TEAM_REPOS: '{"team-eng":"acme/billing"}' } });
    // Plan runs are held so the test answers them; implement runs succeed at once.
    stack.standIn.behaviour = (cmd) => (cmd.flavour === 'plan' ? 'hold' : 'succeed');
    await stack.consume(
      'tracker-recorder',
      'CMD',
      'hzn.cmd.tracker.>',
      new Map([
        [
          trackerCreatePlannedIssues.subject,
          (env) => void trackerCommands.push(env as EnvelopeOf<typeof trackerCreatePlannedIssues>),
        ],
      ]),
    );
    await stack.consume(
      'proposal-recorder',
      'EVT',
      workItemPlanProposed.subject,
      new Map([
        [
          workItemPlanProposed.subject,
          (env) => void proposals.push(env as EnvelopeOf<typeof workItemPlanProposed>),
        ],
      ]),
    );
  });

  afterAll(async () => {
    await stack.stop();
  });

  const children = (planId: string) =>
    stack.query<Child>(
      `SELECT id::text, title, state::text, description, "sourceRefs" FROM "WorkItem" WHERE "parentId" = $1 ORDER BY "createdAt", title`,
      [planId],
    );

  /** A Linear agent session opened on a plan issue; resolves with the plan item's id. */
  async function linearPlan(sessionId: string, issueId: string, title: string): Promise<string> {
    await stack.publish(
      linearAgentSession,
      linearSessionCreated({ sessionId, issueId, title, description: 'Totals for the cart.' }),
    );
    return until(async () => {
      const [row] = await stack.query<{ id: string }>(
        `SELECT id::text FROM "WorkItem" WHERE "sourceRefs"->'linearAgentSession'->>'id' = $1`,
        [sessionId],
      );
      return row?.id;
    }, 'the plan item');
  }

  async function planRun(planId: string) {
    await until(() => stack.standIn.provisionsFor(planId).length === 1, 'the plan run to be provisioned');
    return stack.standIn.provisionsFor(planId)[0]!.data;
  }

  it('a plan asked for through the API: A starts at once, B and C wait for their blockers, merges walk the chain', async () => {
    const plan = createRequest({ title: 'Shopping cart totals' });
    await stack.publish(apiWorkItemCreate, { ...plan, kind: 'plan' });
    const cmd = await planRun(plan.workItemId);
    expect(cmd.flavour).toBe('plan');
    expect(cmd.prompt).toContain('Plan this work into issues: Shopping cart totals');

    await stack.standIn.finish(cmd, 'succeeded', null, planAnswer(chain));
    await stack.waitForState(plan.workItemId, 'done');
    const [a, b, c] = await children(plan.workItemId);
    expect([a!.title, b!.title, c!.title]).toEqual(['Add subtotal', 'Add discount codes', 'Add tax']);
    expect(a!.description).toBe('Acceptance criteria:\n- sums the lines');
    expect((await stack.item(b!.id)).state).toBe('blocked');
    expect((await stack.item(c!.id)).state).toBe('blocked');
    await stack.waitForState(a!.id, 'in_review');
    const edges = await stack.query<{ blockerId: string; blockedId: string }>(
      `SELECT "blockerId"::text, "blockedId"::text FROM "WorkItemDependency" WHERE "blockedId" = ANY($1::uuid[])`,
      [[b!.id, c!.id]],
    );
    expect(edges).toEqual(
      expect.arrayContaining([
        { blockerId: a!.id, blockedId: b!.id },
        { blockerId: b!.id, blockedId: c!.id },
      ]),
    );
    expect(trackerCommands.filter((t) => t.data.planWorkItemId === plan.workItemId)).toHaveLength(0);

    // PM-agent items start by themselves once their blocker merges.
    const branchA = (await stack.item(a!.id)).branch as string;
    await stack.publish(githubPullRequest, pullRequestClosed({ branch: branchA, number: 701, merged: true }));
    await stack.waitForState(b!.id, 'in_review');
    expect((await stack.item(c!.id)).state).toBe('blocked');
  });

  it('a plan a console draft asked for only proposes: the issues are published for the draft, no item is created', async () => {
    const draftId = randomUUID();
    const plan = createRequest({
      title: 'Coupons, proposed',
      repo: `acme/proposals-${randomUUID().slice(0, 8)}`,
    });
    await stack.publish(apiWorkItemCreate, {
      ...plan,
      kind: 'plan',
      proposalFor: { consolePlanDraftId: draftId },
    });
    const cmd = await planRun(plan.workItemId);
    await stack.standIn.finish(cmd, 'succeeded', null, planAnswer(chain));
    await stack.waitForState(plan.workItemId, 'done');

    const proposal = await until(
      () => proposals.find((p) => p.data.workItemId === plan.workItemId),
      'the plan_proposed event',
    );
    expect(proposal.data).toEqual({
      workItemId: plan.workItemId,
      runId: cmd.runId,
      repo: plan.repo,
      consolePlanDraftId: draftId,
      issues: [
        {
          key: 'A',
          title: 'Add subtotal',
          description: '',
          acceptanceCriteria: ['sums the lines'],
          blockedBy: [],
        },
        { key: 'B', title: 'Add discount codes', description: '', acceptanceCriteria: [], blockedBy: ['A'] },
        { key: 'C', title: 'Add tax', description: '', acceptanceCriteria: [], blockedBy: ['B'] },
      ],
    });
    expect(await children(plan.workItemId)).toEqual([]);
    const inRepo = await stack.query<{ id: string }>(`SELECT id::text FROM "WorkItem" WHERE repo = $1`, [
      plan.repo,
    ]);
    expect(inRepo).toEqual([{ id: plan.workItemId }]);
    const [audit] = await stack.query<{ cause: string }>(
      `SELECT cause FROM "AuditEvent" WHERE "workItemId" = $1 AND "toState" = 'done'`,
      [plan.workItemId],
    );
    expect(audit!.cause).toContain('proposed 3 issue(s) to the console plan draft');
  });

  it('a Linear session: the issues go to Linear with the items’ ids, A waits for In Progress, B follows A’s merge', async () => {
    const sessionId = `session-${randomUUID()}`;
    const planIssueId = randomUUID();
    // The Linear user who opened the session is linked to a Horizon identity: the plan and
    // every item it breaks into are theirs, so each PR is attributed to them.
    const owner = await stack.linkPerson('Octo Cat', 'linear', 'user-octocat');
    const planId = await linearPlan(sessionId, planIssueId, 'Cart totals project');
    const cmd = await planRun(planId);
    expect(cmd.ownerId).toBe(owner);
    await stack.standIn.finish(cmd, 'succeeded', null, planAnswer(chain));
    await stack.waitForState(planId, 'done');

    const [a, b, c] = await children(planId);
    for (const child of [a, b, c]) expect((await stack.item(child!.id)).ownerId).toBe(owner);
    expect((await stack.item(a!.id)).state).toBe('planned');
    expect((await stack.item(b!.id)).state).toBe('blocked');
    expect(a!.sourceRefs.trackerIssue).toEqual({ provider: 'linear', id: a!.id, teamId: 'team-eng' });

    const sent = await until(
      () => trackerCommands.find((t) => t.data.planWorkItemId === planId),
      'the tracker command',
    );
    expect(sent.data).toMatchObject({
      tracker: 'linear',
      planIssueId,
      teamId: 'team-eng',
      agentSessionId: sessionId,
      issues: [
        { workItemId: a!.id, title: 'Add subtotal', blockedBy: [] },
        { workItemId: b!.id, title: 'Add discount codes', blockedBy: [a!.id] },
        { workItemId: c!.id, title: 'Add tax', blockedBy: [b!.id] },
      ],
    });
    expect(stack.standIn.provisionsFor(a!.id)).toHaveLength(0);

    await stack.publish(linearIssueChanged, linearIssueStarted(a!.id, 'Add subtotal'));
    await stack.waitForState(a!.id, 'in_review');
    const branchA = (await stack.item(a!.id)).branch as string;
    await stack.publish(githubPullRequest, pullRequestClosed({ branch: branchA, number: 702, merged: true }));
    await stack.waitForState(b!.id, 'in_review');
    expect((await stack.item(c!.id)).state).toBe('blocked');
  });

  it('an issue canceled in Linear cancels its item: it never starts by itself when its blocker merges', async () => {
    const planId = await linearPlan(`session-${randomUUID()}`, randomUUID(), 'Cart totals, take two');
    await stack.standIn.finish(await planRun(planId), 'succeeded', null, planAnswer(chain));
    await stack.waitForState(planId, 'done');
    const [a, b, c] = await children(planId);

    await stack.publish(
      linearIssueChanged,
      linearIssueMoved(b!.id, 'Add discount codes', {
        id: 'state-canceled',
        name: 'Canceled',
        type: 'canceled',
      }),
    );
    await stack.waitForState(b!.id, 'cancelled');
    const [audit] = await stack.query<{ cause: string; actor: string }>(
      `SELECT cause, actor FROM "AuditEvent" WHERE "workItemId" = $1 AND "toState" = 'cancelled'`,
      [b!.id],
    );
    expect(audit).toEqual({ cause: 'canceled in Linear (Canceled)', actor: 'linear:user-octocat' });

    await stack.publish(linearIssueChanged, linearIssueStarted(a!.id, 'Add subtotal'));
    await stack.waitForState(a!.id, 'in_review');
    const branchA = (await stack.item(a!.id)).branch as string;
    await stack.publish(githubPullRequest, pullRequestClosed({ branch: branchA, number: 703, merged: true }));
    await stack.waitForState(a!.id, 'done');
    expect((await stack.item(b!.id)).state).toBe('cancelled');
    expect(stack.standIn.provisionsFor(b!.id)).toHaveLength(0);
    expect((await stack.item(c!.id)).state).toBe('blocked');
  });

  it.each([
    ['prose instead of a plan', 'I looked around and it all seems fine.', 'not JSON'],
    [
      'a cycle',
      planAnswer([
        { key: 'A', title: 'One', blockedBy: ['B'] },
        { key: 'B', title: 'Two', blockedBy: ['A'] },
      ]),
      'cycle',
    ],
  ])(
    'a plan run that answers with %s fails its item, saying why, and records no children',
    async (_, answer, reason) => {
      const plan = createRequest({ title: `Unreadable plan ${randomUUID()}` });
      await stack.publish(apiWorkItemCreate, { ...plan, kind: 'plan' });
      await stack.standIn.finish(await planRun(plan.workItemId), 'succeeded', null, answer);
      await stack.waitForState(plan.workItemId, 'failed');
      const [run] = await stack.runsOf(plan.workItemId);
      expect(run!.outcome).toBe('succeeded');
      const [audit] = await stack.query<{ cause: string }>(
        `SELECT cause FROM "AuditEvent" WHERE "workItemId" = $1 AND "toState" = 'failed'`,
        [plan.workItemId],
      );
      expect(audit!.cause).toContain(reason);
      expect(await children(plan.workItemId)).toEqual([]);
    },
  );
});
