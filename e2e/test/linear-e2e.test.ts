import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DEMO_PROJECT, DEMO_REPO } from '@horizon/cli';
import { DemoWorld } from '@horizon/cli';
import { createDatabase } from '@horizon/db';
import type { Database } from '@horizon/db';
import { LocalForgeClient as ForgeClient } from '@horizon/local-forge-client';
import type { PullRequest } from '@horizon/local-forge-client';
import { JetStreamConnection, RpcClient } from '@horizon/messaging';
import {
  createStackSandbox,
  serviceComplaints,
  startLinearStandin,
  startSlackStandin,
  startStack,
  until,
} from '@horizon/testing';
import type {
  IssueRecord,
  LinearStandin,
  SlackStandin,
  StackProcess,
  StackSandbox,
  TeamRecord,
} from '@horizon/testing';
import { LinearPerson, LinearWorkspace } from './support/linear-workspace';

const WEBHOOK_SECRET = 'linear-e2e-webhook-secret';
const APP_USER = randomUUID();
/** The person who asks for the plan: a Linear user linked, with her Slack account, to one Horizon identity. */
const ADA: LinearPerson = { id: randomUUID(), name: 'Ada Lovelace', email: 'ada@example.com' };
const ADA_SLACK = 'U0ADA';
/** What the demo's plan script (apps/cli/demo/scripts/plan.yaml) splits the project into, in order. */
const PLANNED = ['Add cart subtotal', 'Add discount codes', 'Add order total with tax'];

/**
 * Issue #8 on the whole stack as `npm start` runs it, with Linear and Slack as stand-ins and the
 * scripted model playing the agents: an agent session on a project's plan issue → a plan run →
 * three issues in Linear, A blocks B blocks C → A moved to In Progress → implement → PR on the
 * local forge → a reviewer merges it → A completed in Linear with the PR linked, B started by
 * itself, and B's owner told in Slack.
 */
describe('Linear end to end: a project plan → three dependent issues → the chain moves by itself', () => {
  let linear: LinearStandin;
  let slack: SlackStandin;
  let stack: StackSandbox;
  let running: StackProcess;
  let db: Database;
  let nats: JetStreamConnection;
  let forge: ForgeClient;
  let world: DemoWorld;
  let workspace: LinearWorkspace;
  let team: TeamRecord;
  let planIssue: IssueRecord;
  let owner: string;
  let agentSession: string;
  /** The planned issues in Linear, A, B and C; their ids are the work items' ids. */
  let planned: IssueRecord[];

  beforeAll(async () => {
    [linear, slack] = await Promise.all([startLinearStandin(), startSlackStandin()]);
    slack.addUser(ADA_SLACK);
    team = linear.state.addTeam({ key: 'CART', name: 'Checkout' });
    const project = linear.state.addProject({
      name: DEMO_PROJECT.title,
      teamIds: [team.id],
      description: DEMO_PROJECT.description,
    });
    planIssue = linear.state.addIssue({
      teamId: team.id,
      projectId: project.id,
      title: DEMO_PROJECT.title,
      description: DEMO_PROJECT.description,
    });

    stack = await createStackSandbox({
      HORIZON_DEMO: '0',
      // About where work comes from, not browser checks (npm-start's tour and browser-verification cover those).
      BROWSER_CHECKS: 'off',
      LINEAR_API_URL: linear.url,
      LINEAR_ACCESS_TOKEN: 'lin_oauth_e2e_access_token',
      LINEAR_WEBHOOK_SECRET: WEBHOOK_SECRET,
      LINEAR_APP_USER_ID: APP_USER,
      LINEAR_TEAM_REPOS: JSON.stringify({ [team.id]: `${DEMO_REPO.owner}/${DEMO_REPO.name}` }),
      SLACK_API_URL: slack.url,
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: 'linear-e2e-slack-signing-secret',
    });
    running = startStack(stack);
    await running.waitFor('press Ctrl-C to stop', 150_000);

    db = createDatabase(stack.db.url, 2);
    nats = await JetStreamConnection.connect({
      natsUrl: stack.messaging.natsUrl,
      prefix: stack.messaging.prefix,
      name: 'linear-e2e',
    });
    const forgeUrl = `http://127.0.0.1:${stack.port('FORGE_PORT')}`;
    const ingressUrl = `http://127.0.0.1:${stack.port('INGRESS_PORT')}`;
    const forgeToken = fs.readFileSync(path.join(stack.dataDir, 'forge.token'), 'utf8').trim();
    forge = new ForgeClient({ baseUrl: forgeUrl, token: forgeToken });
    world = new DemoWorld(
      new RpcClient(nats, 'linear-e2e'),
      { ingress: ingressUrl, forge: forgeUrl },
      forgeToken,
    );
    await world.ensureSampleRepository();
    owner = randomUUID();
    await db.prisma.identity.create({
      data: {
        id: owner,
        displayName: ADA.name,
        links: {
          create: [
            { id: randomUUID(), provider: 'linear', externalId: ADA.id },
            { id: randomUUID(), provider: 'slack', externalId: ADA_SLACK },
          ],
        },
      },
    });
    workspace = new LinearWorkspace(linear, {
      ingressUrl,
      webhookSecret: WEBHOOK_SECRET,
      appUserId: APP_USER,
    });
  }, 200_000);

  afterAll(async () => {
    await running?.stop();
    await nats?.close();
    await db?.close();
    await stack?.remove();
    await Promise.all([linear?.close(), slack?.close()]);
  }, 60_000);

  /** `until`, slower, its failure naming what the services logged as warnings and errors. */
  const eventually = <T>(
    what: string,
    timeoutMs: number,
    probe: () => T | undefined | Promise<T | undefined>,
  ): Promise<T> =>
    until(probe, what, timeoutMs, 500).catch((err: Error) => {
      throw new Error(`${err.message}\n${serviceComplaints(stack.dataDir)}`);
    });

  const item = (id: string) => db.prisma.workItem.findUniqueOrThrow({ where: { id } });
  const stateName = (issue: IssueRecord) => linear.state.stateOf(issue.id)?.name;

  it('plans the project into three issues in Linear, A blocks B blocks C, shown on the agent session', async () => {
    agentSession = await workspace.startAgentSession(planIssue, ADA);

    const plan = await eventually('the plan run to finish', 150_000, async () => {
      const row = await db.prisma.workItem.findFirst({ where: { kind: 'plan' } });
      if (row && ['failed', 'cancelled', 'timed_out'].includes(row.state))
        throw new Error(`the plan ended ${row.state}\n${serviceComplaints(stack.dataDir)}`);
      return row?.state === 'done' ? row : undefined;
    });
    expect(plan).toMatchObject({ title: DEMO_PROJECT.title, repo: 'demo/cart', ownerId: owner });
    expect(await db.prisma.run.findMany({ where: { workItemId: plan.id } })).toEqual([
      expect.objectContaining({ outcome: 'succeeded' }),
    ]);

    planned = await eventually('three issues and two relations in Linear', 30_000, () => {
      const issues = [...linear.state.issues.values()].filter((i) => i.id !== planIssue.id);
      const relations = [...linear.state.relations.values()];
      return issues.length === 3 && relations.length === 2 ? issues : undefined;
    });
    planned.sort((a, b) => PLANNED.indexOf(a.title) - PLANNED.indexOf(b.title));
    const [a, b, c] = planned as [IssueRecord, IssueRecord, IssueRecord];
    expect(planned.map((i) => i.title)).toEqual(PLANNED);
    for (const issue of planned) {
      expect(issue).toMatchObject({ teamId: team.id, projectId: planIssue.projectId });
      expect(stateName(issue)).toBe('Todo');
    }
    expect(linear.state.blockedBy(a.id)).toEqual([b.id]);
    expect(linear.state.blockedBy(b.id)).toEqual([c.id]);
    expect(linear.state.blockedBy(c.id)).toEqual([]);

    // The work items behind them: the same ids, owned by Ada; A waits for a human, B and C for blockers.
    const children = await db.prisma.workItem.findMany({ where: { parentId: plan.id } });
    expect(Object.fromEntries(children.map((w) => [w.id, [w.title, w.state, w.ownerId]]))).toEqual({
      [a.id]: [PLANNED[0], 'planned', owner],
      [b.id]: [PLANNED[1], 'blocked', owner],
      [c.id]: [PLANNED[2], 'blocked', owner],
    });

    const response = await eventually('the response listing the issues on the session', 30_000, () =>
      linear.state.activitiesOf(agentSession).find((x) => x.content.type === 'response'),
    );
    expect(response.content.body).toContain(`Created 3 issues`);
    for (const issue of planned) expect(response.content.body).toContain(issue.identifier);
    const types = linear.state.activitiesOf(agentSession).map((x) => x.content.type);
    expect(types).toEqual(expect.arrayContaining(['thought', 'action', 'response']));
  }, 200_000);

  it('implements A once it is moved to In Progress, and opens its PR on the local forge', async () => {
    const [a] = planned as [IssueRecord];
    await workspace.moveIssue(a, 'In Progress', ADA);

    const pull = await eventually<PullRequest>('the PR of A', 150_000, async () => {
      const row = await item(a.id);
      if (['failed', 'cancelled', 'timed_out'].includes(row.state))
        throw new Error(`A ended ${row.state}\n${serviceComplaints(stack.dataDir)}`);
      if (row.state !== 'in_review') return undefined;
      return (await forge.listPulls(DEMO_REPO.owner, DEMO_REPO.name, 'open'))[0];
    });
    expect(pull).toMatchObject({ title: expect.stringContaining(PLANNED[0]), author: 'horizon[bot]' });
    // The item was planned before its Linear issue existed: the notifier read the issue's
    // identifier and URL from Linear, so the PR links it.
    expect(pull.body).toContain(`[${a.identifier}](https://linear.app/standin/issue/${a.identifier})`);
    expect(await forge.diff(DEMO_REPO.owner, DEMO_REPO.name, pull.number)).toContain(
      '+export function subtotal(',
    );
    const comment = await eventually('the PR link on A in Linear', 30_000, () =>
      linear.state.commentsOn(a.id).find((x) => x.body.includes(`/pull/${pull.number}`)),
    );
    expect(comment.body).toContain('Pull request opened');
  }, 200_000);

  it('on merge: A completed in Linear with the PR linked, B started by itself, and Ada told in Slack', async () => {
    const [a, b, c] = planned as [IssueRecord, IssueRecord, IssueRecord];
    const [pull] = await forge.listPulls(DEMO_REPO.owner, DEMO_REPO.name, 'open');
    await world.approveAndMerge({ number: pull!.number, url: '', review: null });

    await eventually('A completed in Linear', 60_000, () => (stateName(a) === 'Done' ? true : undefined));
    const merged = linear.state.commentsOn(a.id).find((x) => x.body.includes('Merged in'));
    expect(merged?.body).toContain(`demo/cart#${pull!.number}`);
    expect(merged?.body).toContain(`/demo/cart/pull/${pull!.number}`);
    expect(['merged', 'done']).toContain((await item(a.id)).state);

    const bRun = await eventually('a run of B', 60_000, () =>
      db.prisma.run.findFirst({ where: { workItemId: b.id } }).then((r) => r ?? undefined),
    );
    expect(bRun.workItemId).toBe(b.id);
    expect((await item(b.id)).state).not.toBe('blocked');
    expect((await item(c.id)).state).toBe('blocked');
    expect(stateName(c)).toBe('Todo');

    const notice = await eventually('the Slack DM to Ada', 60_000, () =>
      slack.directMessages(ADA_SLACK).find((m) => m.text.includes(PLANNED[1])),
    );
    expect(notice.text).toContain('started by itself');
    expect(notice.text).toContain(PLANNED[0]);
    expect(slack.directMessages(ADA_SLACK)).toHaveLength(1);
  }, 200_000);
});
