import { randomUUID } from 'node:crypto';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { envelopeFor, trackerCreatePlannedIssues, TrackerCreatePlannedIssuesData } from '@horizon/contracts';
import type { Database } from '@horizon/db';
import { HEADER, JetStreamConnection, Publisher } from '@horizon/messaging';
import { LinearStandin, startLinearStandin, until, deadLetterOf } from '@horizon/testing';
import { NotifierUnderTest, startNotifier } from './notifier-under-test';

/**
 * `hzn.cmd.tracker.create_planned_issues` end to end: the notifier module over real Postgres and
 * JetStream, the real `@linear/sdk` client against the Linear stand-in.
 */
describe('notifier creates a plan’s issues in Linear', () => {
  let notifier: NotifierUnderTest;
  let linear: LinearStandin;
  let conn: JetStreamConnection;
  let publisher: Publisher;
  let database: Database;

  beforeAll(async () => {
    linear = await startLinearStandin();
    notifier = await startNotifier('planned-issues-test', {
      LINEAR_ACCESS_TOKEN: 'lin_oauth_test',
      LINEAR_API_URL: linear.url,
    });
    ({ conn, publisher, database } = notifier);
  });

  afterAll(async () => {
    await notifier?.stop();
    await linear?.close();
  });

  /** A plan asked on an issue in a project, through an agent session: A, then B, then C. */
  function planOnIssue(key: string) {
    const team = linear.state.addTeam({ key });
    const project = linear.state.addProject({ name: `${key} project`, teamIds: [team.id] });
    const planIssue = linear.state.addIssue({
      teamId: team.id,
      projectId: project.id,
      title: 'Plan billing',
    });
    const session = linear.state.addAgentSession({ issueId: planIssue.id });
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const data: TrackerCreatePlannedIssuesData = {
      tracker: 'linear',
      planWorkItemId: randomUUID(),
      planIssueId: planIssue.id,
      teamId: team.id,
      projectId: null,
      agentSessionId: session.id,
      // Listed out of order: C (blocked by B) first.
      issues: [
        { workItemId: c, title: 'Bill customers', description: 'Charge monthly.', blockedBy: [b] },
        { workItemId: a, title: 'Add the data model', description: '- [ ] a test', blockedBy: [] },
        { workItemId: b, title: 'Expose the API', description: 'Builds on the model.', blockedBy: [a] },
      ],
    };
    return { team, project, session, data, ids: { a, b, c } };
  }

  const teamIssues = (teamId: string) => [...linear.state.issues.values()].filter((i) => i.teamId === teamId);
  const relationsAmong = (ids: string[]) =>
    [...linear.state.relations.values()].filter((r) => ids.includes(r.issueId));

  async function drained() {
    const stream = conn.naming.stream('CMD');
    await until(async () => {
      const info = await conn.jsm.consumers.info(stream, 'notifier-tracker');
      return info.num_pending === 0 && info.num_ack_pending === 0;
    }, 'the tracker consumer to drain');
  }

  it('delivered twice, creates the issues and relations once, under the work items’ ids, and reports once', async () => {
    const { team, project, session, data, ids } = planOnIssue('PLN');
    const env = envelopeFor(trackerCreatePlannedIssues, data, { source: 'orchestrator' });
    const wire = conn.naming.subject(env.subject);
    const bytes = new TextEncoder().encode(JSON.stringify(env));
    // Two stream messages carrying one envelope: JetStream's de-duplication does not hide the second.
    await publisher.publishRaw(wire, bytes, natsHeaders(), `${env.id}-a`);
    await publisher.publishRaw(wire, bytes, natsHeaders(), `${env.id}-b`);

    const response = await until(
      () => linear.state.activitiesOf(session.id).find((a) => a.content.type === 'response'),
      'the response activity',
    );
    await drained();
    const issues = teamIssues(team.id).filter((i) => i.title !== 'Plan billing');
    expect(issues.map((i) => i.id).sort()).toEqual([ids.a, ids.b, ids.c].sort());
    const todo = linear.state.teamStates(team.id).find((s) => s.name === 'Todo')!;
    for (const issue of issues) expect(issue).toMatchObject({ projectId: project.id, stateId: todo.id });
    expect(linear.state.issues.get(ids.a)?.description).toBe('- [ ] a test');
    expect(linear.state.blockedBy(ids.a)).toEqual([ids.b]);
    expect(linear.state.blockedBy(ids.b)).toEqual([ids.c]);
    expect(relationsAmong([ids.a, ids.b, ids.c])).toHaveLength(2);
    expect(
      linear.requests.filter((r) => r.operationName === 'createIssue' && r.outcome === 'ok'),
    ).toHaveLength(3);

    const activities = linear.state.activitiesOf(session.id);
    expect(activities.map((a) => a.content.type)).toEqual(['action', 'response']);
    expect(activities[0]!.content).toMatchObject({
      action: 'Creating issues',
      parameter: '3 issues with 2 blocking relations',
    });
    const [ia, ib, ic] = [ids.a, ids.b, ids.c].map((id) => linear.state.issues.get(id)!);
    const url = (identifier: string) => `https://linear.app/standin/issue/${identifier}`;
    expect(response.content.body).toContain(
      [
        `1. [${ia!.identifier}](${url(ia!.identifier)}) Add the data model`,
        `2. [${ib!.identifier}](${url(ib!.identifier)}) Expose the API — after ${ia!.identifier}`,
        `3. [${ic!.identifier}](${url(ic!.identifier)}) Bill customers — after ${ib!.identifier}`,
      ].join('\n'),
    );
    const records = await database.pool.query<{ dedupeKey: string; status: string; externalId: string }>(
      `SELECT "dedupeKey", "status", "externalId" FROM "NotificationDelivery" WHERE "dedupeKey" = $1`,
      [`tracker:issue:${ids.a}`],
    );
    expect(records.rows).toEqual([
      { dedupeKey: `tracker:issue:${ids.a}`, status: 'delivered', externalId: ia!.identifier },
    ]);
  });

  it("honours Linear's Retry-After on issueCreate, and counts an issue Linear already holds under the id as created", async () => {
    const { team, session, data, ids } = planOnIssue('RTY');
    // An earlier attempt created B, then died before recording it: Linear refuses its id again.
    linear.state.addIssue({ id: ids.b, teamId: team.id, title: 'Expose the API' });
    linear.rateLimitNext({ retryAfterSeconds: 2, resetInMs: 60_000, operationName: 'createIssue' });
    await publisher.publish(envelopeFor(trackerCreatePlannedIssues, data, { source: 'orchestrator' }));
    await until(
      () => linear.state.activitiesOf(session.id).some((a) => a.content.type === 'response'),
      'the response activity',
    );
    const creates = linear.requests.filter(
      (r) =>
        r.operationName === 'createIssue' && (r.variables.input as { teamId: string }).teamId === team.id,
    );
    // A: limited, then created after the wait; B: refused as a duplicate id, found, counted.
    expect(creates.map((c) => c.outcome)).toEqual(['RATELIMITED', 'ok', 'INPUT_ERROR', 'ok']);
    expect(creates[1]!.at - creates[0]!.at).toBeGreaterThanOrEqual(1900);
    expect(teamIssues(team.id)).toHaveLength(4);
    expect(linear.state.blockedBy(ids.a)).toEqual([ids.b]);
    expect(linear.state.blockedBy(ids.b)).toEqual([ids.c]);
  });

  it('dead-letters a command naming a team Linear does not have, creating nothing', async () => {
    const { data } = planOnIssue('GONE');
    const env = envelopeFor(
      trackerCreatePlannedIssues,
      { ...data, teamId: randomUUID(), agentSessionId: null },
      { source: 'orchestrator' },
    );
    await publisher.publish(env);
    const dead = await deadLetterOf(conn, env.id);
    expect(dead.header.get(HEADER.dlqReason)).toMatch(
      /^linear refused tracker:issue:[0-9a-f-]+: linear: Entity not found: Team/,
    );
    for (const issue of data.issues) expect(linear.state.issues.has(issue.workItemId)).toBe(false);
  });

  it('creates the issues when the session is gone, and dead-letters the command saying the response was refused', async () => {
    const { team, data, ids } = planOnIssue('NOS');
    const env = envelopeFor(
      trackerCreatePlannedIssues,
      { ...data, agentSessionId: randomUUID() },
      { source: 'orchestrator' },
    );
    await publisher.publish(env);
    const dead = await deadLetterOf(conn, env.id);
    expect(dead.header.get(HEADER.dlqReason)).toBe(
      `linear refused tracker:plan:${data.planWorkItemId}:created: linear: Entity not found: AgentSession`,
    );
    expect(teamIssues(team.id).map((i) => i.id)).toEqual(expect.arrayContaining([ids.a, ids.b, ids.c]));
    expect(linear.state.blockedBy(ids.a)).toEqual([ids.b]);
  });

  it('dead-letters a command whose issues block each other in a cycle, before calling Linear', async () => {
    const { data, ids } = planOnIssue('CYC');
    const cyclic = {
      ...data,
      issues: data.issues.map((i) => (i.workItemId === ids.a ? { ...i, blockedBy: [ids.c] } : i)),
    };
    const env = envelopeFor(trackerCreatePlannedIssues, cyclic, { source: 'orchestrator' });
    const before = linear.requests.length;
    await publisher.publish(env);
    const dead = await deadLetterOf(conn, env.id);
    expect(dead.header.get(HEADER.dlqReason)).toContain('the blocking relations form a cycle');
    expect(linear.requests.length).toBe(before);
  });
});
