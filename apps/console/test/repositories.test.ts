import { randomUUID } from 'node:crypto';
import { apiWorkItemCreate } from '@horizon/contracts';
import { createRequest, until } from '@horizon/testing';
import type { RepositoriesView } from '../src/shared/console-api';
import { ConsoleUnderTest, type Browser } from './support/console-under-test';

/**
 * Settings' repositories over real HTTP: the ones the real orchestrator has work in (its RPC)
 * and the ones someone holds a role in, each with who has which role, cut to what an admin
 * administers.
 */
describe('console repositories', () => {
  let hzn: ConsoleUnderTest;
  let admin: Browser;
  const worked = `acme/w${randomUUID().slice(0, 6)}`;
  const granted = `acme/g${randomUUID().slice(0, 6)}`;

  const repositories = async (browser: Browser) => {
    const res = await hzn.request('/api/admin/repositories', { browser });
    expect(res.status).toBe(200);
    return (await res.json()) as RepositoriesView;
  };

  beforeAll(async () => {
    hzn = await ConsoleUnderTest.start();
    admin = await hzn.signIn('ada');
    await hzn.publish(apiWorkItemCreate, createRequest({ title: 'Add refunds', repo: worked }));
  }, 120_000);
  afterAll(() => hzn?.stop());

  it('lists work and granted repositories with their roles; a repository admin sees only theirs', async () => {
    await hzn.signIn('grace', 'member', worked);
    const linus = await hzn.signIn('linus', 'admin', granted);
    const view = await until(async () => {
      const v = await repositories(admin);
      // Grace's grant lists the repository at once; its work item comes when the orchestrator has it.
      return v.repositories.some((r) => r.repo === worked && r.workItems > 0) ? v : undefined;
    }, 'the orchestrator to record the work item');

    expect(view.repositories.find((r) => r.repo === worked)).toMatchObject({
      workItems: 1,
      latestAt: expect.any(String),
      grants: [expect.objectContaining({ name: 'grace', role: 'member' })],
    });
    expect(view.repositories.find((r) => r.repo === granted)).toMatchObject({
      workItems: 0,
      latestAt: null,
      grants: [expect.objectContaining({ name: 'linus', role: 'admin' })],
    });
    expect(view.everywhere).toContainEqual(expect.objectContaining({ name: 'ada', role: 'admin' }));

    expect((await repositories(linus)).repositories.map((r) => r.repo)).toEqual([granted]);
    const member = await hzn.signIn('joan', 'member', '*');
    expect((await hzn.request('/api/admin/repositories', { browser: member })).status).toBe(403);
  });
});
