import { randomUUID } from 'node:crypto';
import { createDatabase, Database } from '@horizon/db';
import { TrackerCallError } from '@horizon/integrations-linear';
import { createTestDatabase, TestDatabase } from '@horizon/testing';
import { LocalTracker } from '../src/tracker/local-tracker';

describe('LocalTracker (the tracker port over Postgres)', () => {
  let testDb: TestDatabase;
  let db: Database;
  let tracker: LocalTracker;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = createDatabase(testDb.url, 2);
    tracker = new LocalTracker(db.prisma);
  });
  afterAll(async () => {
    await db.close();
    await testDb.drop();
  });

  it('creates an issue under the id given, refuses that id again, and finds it by id or identifier', async () => {
    const project = await tracker.createProject({ key: 'IDS', name: 'Ids' });
    const id = randomUUID();
    const input = {
      id,
      teamId: 'local',
      projectId: project.id,
      stateId: 'backlog',
      title: 'A',
      description: '',
    };
    expect(await tracker.createIssue(input)).toMatchObject({
      id,
      identifier: 'IDS-1',
      projectId: project.id,
    });
    const again = await tracker.createIssue(input).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(TrackerCallError);
    expect((again as TrackerCallError).permanent).toBe(true);
    expect(await tracker.findIssue('IDS-1')).toMatchObject({ id, teamId: 'local' });
    expect(await tracker.findIssue(randomUUID())).toBeNull();
    const other = await tracker.createIssue({ teamId: 'local', title: 'B', description: '' });
    const relationId = randomUUID();
    expect(await tracker.addBlocksRelation(id, other.id, relationId)).toEqual({ id: relationId });
    expect(await tracker.issueRelationExists(relationId)).toBe(true);
    expect((await tracker.workflowStates()).map((s) => s.type)).toEqual(['backlog', 'started', 'completed']);
  });

  it('creates a project of dependent issues, comments, completes one and reads the project back', async () => {
    const project = await tracker.createProject({ key: 'DEMO', name: 'Demo', content: '# Goals' });
    const a = await tracker.createIssue({
      teamId: 'local',
      projectId: project.id,
      title: 'A',
      description: 'first',
    });
    const b = await tracker.createIssue({
      teamId: 'local',
      projectId: project.id,
      title: 'B',
      description: 'second',
    });
    expect([a.identifier, b.identifier]).toEqual(['DEMO-1', 'DEMO-2']);
    const relation = await tracker.addBlocksRelation(a.id, b.id);
    expect(await tracker.addBlocksRelation(a.id, b.id)).toEqual(relation);
    expect((await tracker.blockersOf(b.id)).map((i) => i.identifier)).toEqual(['DEMO-1']);
    await expect(tracker.addBlocksRelation(a.id, a.id)).rejects.toBeInstanceOf(TrackerCallError);

    const comment = await tracker.createComment({
      id: '6a1f1c1e-0000-4000-8000-000000000001',
      issueId: a.id,
      body: 'PR opened',
    });
    await tracker.createComment({ id: comment.id, issueId: a.id, body: 'PR opened' });
    expect(await tracker.commentExists(comment.id)).toBe(true);
    const activity = await tracker.createAgentActivity({
      agentSessionId: 's1',
      content: { type: 'thought', body: 'planning' },
    });
    expect(await tracker.agentActivityExists(activity.id)).toBe(true);
    expect(await tracker.commentExists(activity.id)).toBe(false);

    expect(await tracker.completeIssue(a.id)).toEqual({ stateId: 'completed', stateName: 'Done' });
    const read = await tracker.readProject(project.id);
    expect(read).toMatchObject({ name: 'Demo', content: '# Goals', documents: [] });
    expect(read.issues.map((i) => [i.identifier, i.stateId])).toEqual([
      ['DEMO-1', 'completed'],
      ['DEMO-2', 'backlog'],
    ]);
    await expect(tracker.readProject('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(
      TrackerCallError,
    );
  });
});
