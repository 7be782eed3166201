import { randomUUID } from 'node:crypto';
import {
  createLinearTracker,
  TrackerCallError,
  TrackerPort,
  TrackerRateLimitedError,
} from '@horizon/integrations-linear';
import { LinearStandin, startLinearStandin } from '@horizon/testing';

describe('LinearTracker (real @linear/sdk against the Linear stand-in)', () => {
  let standin: LinearStandin;
  let tracker: TrackerPort;

  beforeAll(async () => {
    standin = await startLinearStandin();
    tracker = createLinearTracker({ accessToken: 'lin_oauth_test', apiUrl: standin.url });
  });
  afterAll(() => standin.close());

  it('creates issues in a project with blocks relations, A blocks B blocks C', async () => {
    const team = standin.state.addTeam({ key: 'HZN' });
    const project = standin.state.addProject({ name: 'Billing', teamIds: [team.id] });
    const [a, b, c] = await Promise.all(
      ['A', 'B', 'C'].map((title) =>
        tracker.createIssue({
          teamId: team.id,
          projectId: project.id,
          title,
          description: `## ${title}\n- [ ] done`,
        }),
      ),
    );
    await tracker.addBlocksRelation(a!.id, b!.id);
    await tracker.addBlocksRelation(b!.id, c!.id);
    expect(a!.identifier).toMatch(/^HZN-\d$/);
    expect(a!.url).toContain(a!.identifier);
    expect(standin.state.blockedBy(a!.id)).toEqual([b!.id]);
    expect(standin.state.blockedBy(b!.id)).toEqual([c!.id]);
    expect(standin.state.issues.get(c!.id)).toMatchObject({
      projectId: project.id,
      description: '## C\n- [ ] done',
    });
  });

  it('creates an issue under the id given, refuses that id again, and finds it with its team and project', async () => {
    const team = standin.state.addTeam({ key: 'IDS' });
    const project = standin.state.addProject({ name: 'Plans', teamIds: [team.id] });
    const todo = (await tracker.workflowStates(team.id)).find((s) => s.type === 'unstarted')!;
    expect(todo.name).toBe('Todo');
    const id = randomUUID();
    const input = {
      id,
      teamId: team.id,
      projectId: project.id,
      stateId: todo.id,
      title: 'A',
      description: 'x',
    };
    const created = await tracker.createIssue(input);
    expect(created).toMatchObject({ id, identifier: 'IDS-1', teamId: team.id, projectId: project.id });
    const again = await tracker.createIssue(input).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(TrackerCallError);
    expect((again as TrackerCallError).permanent).toBe(true);
    expect(standin.state.issues.size).toBeGreaterThanOrEqual(1);
    expect([...standin.state.issues.values()].filter((i) => i.teamId === team.id)).toHaveLength(1);
    expect(await tracker.findIssue(id)).toMatchObject({ id, stateId: todo.id, projectId: project.id });
    expect(await tracker.findIssue('IDS-1')).toMatchObject({ id });
    expect(await tracker.findIssue(randomUUID())).toBeNull();
    const loose = await tracker.createIssue({ teamId: team.id, title: 'B', description: '' });
    expect((await tracker.findIssue(loose.id))?.projectId).toBeNull();
    const badId = await tracker.createIssue({ ...input, id: 'not-a-uuid' }).catch((e: unknown) => e);
    expect((badId as TrackerCallError).permanent).toBe(true);
  });

  it('creates a blocks relation under the id given and finds it again', async () => {
    const team = standin.state.addTeam({ key: 'REL' });
    const a = standin.state.addIssue({ teamId: team.id, title: 'A' });
    const b = standin.state.addIssue({ teamId: team.id, title: 'B' });
    const id = randomUUID();
    expect(await tracker.issueRelationExists(id)).toBe(false);
    expect(await tracker.addBlocksRelation(a.id, b.id, id)).toEqual({ id });
    expect(await tracker.issueRelationExists(id)).toBe(true);
    expect(standin.state.blockedBy(a.id)).toEqual([b.id]);
    const again = await tracker.addBlocksRelation(a.id, b.id, id).catch((e: unknown) => e);
    expect((again as TrackerCallError).permanent).toBe(true);
    expect(standin.state.blockedBy(a.id)).toEqual([b.id]);
  });

  it('reads a project with its documents and issues', async () => {
    const team = standin.state.addTeam({ key: 'RD' });
    const project = standin.state.addProject({
      name: 'Search',
      teamIds: [team.id],
      description: 'Find things',
      content: '# Goal\nFast search',
    });
    standin.state.addDocument({ projectId: project.id, title: 'Spec', content: 'Use an index.' });
    standin.state.addIssue({ teamId: team.id, projectId: project.id, title: 'Index documents' });
    const read = await tracker.readProject(project.id);
    expect(read).toMatchObject({
      name: 'Search',
      description: 'Find things',
      content: '# Goal\nFast search',
    });
    expect(read.documents).toEqual([{ id: expect.any(String), title: 'Spec', content: 'Use an index.' }]);
    expect(read.issues.map((i) => i.title)).toEqual(['Index documents']);
  });

  it('adds agent activities of every kind to a session, and finds one again by its id', async () => {
    const session = standin.state.addAgentSession({});
    const id = randomUUID();
    await tracker.createAgentActivity({
      id,
      agentSessionId: session.id,
      content: { type: 'thought', body: 'Reading the project' },
    });
    await tracker.createAgentActivity({
      agentSessionId: session.id,
      content: { type: 'action', action: 'Creating issues', parameter: '3 issues' },
    });
    await tracker.createAgentActivity({
      agentSessionId: session.id,
      content: { type: 'response', body: 'Planned 3 issues' },
    });
    await tracker.createAgentActivity({
      agentSessionId: session.id,
      content: { type: 'error', body: 'Sandbox failed' },
    });
    expect(standin.state.activitiesOf(session.id).map((a) => a.content.type)).toEqual([
      'thought',
      'action',
      'response',
      'error',
    ]);
    expect(await tracker.agentActivityExists(id)).toBe(true);
    expect(await tracker.agentActivityExists(randomUUID())).toBe(false);
  });

  it("completes an issue in its team's completed state and comments", async () => {
    const team = standin.state.addTeam({ key: 'CMP' });
    const issue = standin.state.addIssue({ teamId: team.id, title: 'Ship it' });
    const commentId = randomUUID();
    await tracker.createComment({
      id: commentId,
      issueId: issue.id,
      body: 'Merged in https://github.com/acme/app/pull/7',
    });
    const done = await tracker.completeIssue(issue.id);
    expect(done.stateName).toBe('Done');
    expect(standin.state.stateOf(issue.id)?.type).toBe('completed');
    expect(standin.state.commentsOn(issue.id).map((c) => c.body)).toEqual([
      'Merged in https://github.com/acme/app/pull/7',
    ]);
    expect(await tracker.commentExists(commentId)).toBe(true);
  });

  it('turns RATELIMITED into a rate-limit error carrying the reset delay', async () => {
    const session = standin.state.addAgentSession({});
    standin.rateLimitNext({ resetInMs: 1500 });
    const err = await tracker
      .createAgentActivity({ agentSessionId: session.id, content: { type: 'thought', body: 'x' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrackerRateLimitedError);
    expect((err as TrackerRateLimitedError).retryAfterMs).toBeGreaterThan(1000);
    expect((err as TrackerRateLimitedError).retryAfterMs).toBeLessThanOrEqual(1500);
    standin.rateLimitNext({ retryAfterSeconds: 3 });
    const withHeader = await tracker
      .createAgentActivity({ agentSessionId: session.id, content: { type: 'thought', body: 'x' } })
      .catch((e: unknown) => e);
    expect((withHeader as TrackerRateLimitedError).retryAfterMs).toBe(3000);
  });

  it('refuses content Linear documents as invalid, permanently', async () => {
    const session = standin.state.addAgentSession({});
    const err = await tracker
      .createAgentActivity({
        agentSessionId: session.id,
        content: { type: 'action', action: 'Creating issues' } as never,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrackerCallError);
    expect((err as TrackerCallError).permanent).toBe(true);
    expect((err as Error).message).toContain('requires parameter');
  });
});
