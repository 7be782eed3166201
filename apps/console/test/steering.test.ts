import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Subscription } from '@nats-io/transport-node';
import {
  apiWorkItemCreate,
  runFinished,
  sandboxBudgetReached,
  workItemFollowUp,
  type DataOf,
  type Envelope,
} from '@horizon/contracts';
import { createRequest, startServiceProcess, until, type ServiceProcess } from '@horizon/testing';
import type { WorkItemPage } from '../src/shared/console-api';
import { ConsoleUnderTest, type Browser } from './support/console-under-test';

type FollowUp = DataOf<typeof workItemFollowUp>;

/**
 * A member steering a run from the console, over real HTTP, the real ingress (its own process)
 * and the real orchestrator: a follow-up reaches the bus as `hzn.evt.workitem.follow_up` with
 * origin console and the person as author; a failed item retried is queued and gets a new run;
 * a planned item started is queued and gets its run.
 */
describe('console steering: follow-ups, retries and starts', () => {
  let hzn: ConsoleUnderTest;
  let ingress: ServiceProcess;
  let admin: Browser;
  let member: Browser;
  let followUps: Subscription;
  const seen: FollowUp[] = [];
  const repo = `acme/f${randomUUID().slice(0, 6)}`;
  const item = createRequest({ title: 'Add store credit', repo });
  const followUpsPath = `/api/work-items/${item.workItemId}/follow-ups`;
  const retryPath = `/api/work-items/${item.workItemId}/retry`;

  const workItem = async (id = item.workItemId) =>
    ((await (await hzn.request(`/api/work-items/${id}`, { browser: admin })).json()) as WorkItemPage)
      .workItem;
  const send = (body: unknown, browser = member) =>
    hzn.request(followUpsPath, { method: 'POST', browser, body });
  const message = async (res: Response) => ((await res.json()) as { message: string }).message;

  beforeAll(async () => {
    hzn = await ConsoleUnderTest.start();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-steering-ingress-'));
    ingress = await startServiceProcess('ingress', { db: hzn.db, messaging: hzn.messaging, dataDir });
    // What the runner side sees: every follow-up the orchestrator publishes.
    followUps = hzn.conn.nc.subscribe(hzn.conn.naming.subject(workItemFollowUp.subject), {
      callback: (err, msg) => {
        if (!err) seen.push((msg.json() as Envelope<FollowUp>).data);
      },
    });
    await hzn.publish(apiWorkItemCreate, item);
    [admin, member] = await Promise.all([hzn.signIn('ada'), hzn.signIn('grace', 'member', repo)]);
    await until(async () => (await workItem()).runs[0], 'the orchestrator to start a run');
  }, 120_000);
  afterAll(async () => {
    followUps?.unsubscribe();
    await ingress?.stop();
    await hzn?.stop();
  });

  it("passes a member's words to the run in flight, from the console and by them, and audits it", async () => {
    const runId = (await workItem()).runs[0]!.id;
    const res = await send({ text: '  Keep the old endpoint working too.  ' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ id: item.workItemId, status: 'accepted' });
    const followUp = await until(
      () => seen.find((f) => f.workItemId === item.workItemId),
      'the follow-up on the bus',
    );
    expect(followUp).toEqual({
      workItemId: item.workItemId,
      runId,
      text: 'Keep the old endpoint working too.',
      origin: 'console',
      author: 'grace',
    });
    const { entries } = (await (await hzn.request('/api/admin/audit', { browser: admin })).json()) as {
      entries: { actor: string; action: string; target: string | null; detail: unknown }[];
    };
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: 'grace',
          action: 'run.follow_up_sent',
          target: runId,
          detail: expect.objectContaining({ workItemId: item.workItemId }),
        }),
      ]),
    );
  });

  it('refuses empty and oversized text (400) and a viewer (403), sending nothing', async () => {
    const before = seen.length;
    const empty = await send({ text: '   ' });
    expect(empty.status).toBe(400);
    expect(await message(empty)).toMatch(/empty message is not sent/);
    const long = await send({ text: 'x'.repeat(8001) });
    expect(long.status).toBe(400);
    expect(await message(long)).toMatch(/at most 8000 characters/);
    expect((await send({})).status).toBe(400);
    const viewer = await hzn.signIn(`viewer-${randomUUID().slice(0, 4)}`, 'viewer', repo);
    expect((await send({ text: 'hello' }, viewer)).status).toBe(403);
    expect((await hzn.request(retryPath, { method: 'POST', browser: viewer, body: {} })).status).toBe(403);
    expect(seen.length).toBe(before);
  });

  it('refuses a retry while the item is not failed, cancelled or timed out (409), saying why', async () => {
    const res = await hzn.request(retryPath, { method: 'POST', browser: member, body: {} });
    expect(res.status).toBe(409);
    expect(await message(res)).toMatch(/cannot be retried: only a failed, cancelled or timed-out one can/);
  });

  it('refuses a follow-up once the run ended (409, what to do), and retries the failed item into a new run', async () => {
    const first = (await workItem()).runs[0]!;
    await hzn.publish(runFinished, {
      runId: first.id,
      workItemId: item.workItemId,
      outcome: 'failed',
      reason: 'the agent gave up',
      usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.01 },
      durationMs: 1000,
      branch: null,
      commitSha: null,
      verification: [],
      frictionNotes: [],
    });
    await until(async () => (await workItem()).state === 'failed', 'the item to fail');

    const late = await send({ text: 'Are you still there?' });
    expect(late.status).toBe(409);
    expect(await message(late)).toBe(
      'the agent is not running on this work item: it is failed; retry it to start a new run, then write to that one',
    );

    const res = await hzn.request(retryPath, { method: 'POST', browser: member, body: {} });
    expect(res.status).toBe(202);
    const retried = await until(async () => {
      const current = await workItem();
      return current.runs.length === 2 ? current : null;
    }, 'a new run after the retry');
    expect(retried.runs[1]).toMatchObject({ attempt: 2, outcome: null });
    expect(retried.state).not.toBe('failed');
    expect(retried.timeline).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: 'console:grace',
          fromState: 'failed',
          toState: 'queued',
          cause: 'retried by console:grace',
        }),
      ]),
    );
    const { entries } = (await (await hzn.request('/api/admin/audit', { browser: admin })).json()) as {
      entries: { actor: string; action: string; target: string | null }[];
    };
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: 'grace',
          action: 'work_item.retry_requested',
          target: item.workItemId,
        }),
      ]),
    );
  });

  it('takes a budget answer from an admin, not from a member who does not own the item, and only while it waits', async () => {
    const answer = (body: unknown, browser: Browser) =>
      hzn.request(`/api/work-items/${item.workItemId}/budget`, { method: 'POST', browser, body });
    const early = await answer({ action: 'stop' }, admin);
    expect(early.status).toBe(409);
    expect(await message(early)).toMatch(/not waiting at a budget: there is nothing to answer/);

    const run = (await workItem()).runs.at(-1)!;
    const reason = 'run limit of 650 tokens: 990 of 650 tokens spent';
    await hzn.publish(sandboxBudgetReached, {
      runId: run.id,
      sandboxId: randomUUID(),
      workItemId: item.workItemId,
      spentTokens: 990,
      spentCostUsd: 0,
      reason,
      answerBy: new Date(Date.now() + 60_000).toISOString(),
    });
    const waiting = await until(async () => {
      const current = await workItem();
      return current.state === 'waiting' ? current : null;
    }, 'the item to wait at its budget');
    expect(waiting.waiting).toMatchObject({ kind: 'run', reason });

    const notOwner = await answer({ action: 'stop' }, member);
    expect(notOwner.status).toBe(403);
    expect(await message(notOwner)).toMatch(/only the item's owner or an admin answers its budget/);
    expect((await answer({ action: 'continue' }, admin)).status).toBe(400);
    const taken = await answer({ action: 'continue', extraUsd: 2 }, admin);
    expect(taken.status).toBe(202);
    const resumed = await until(async () => {
      const current = await workItem();
      return current.state !== 'waiting' ? current : null;
    }, 'the answer to take the item back');
    expect(resumed.timeline.at(-1)).toMatchObject({
      actor: 'console:ada',
      fromState: 'waiting',
      cause: 'console:ada let the run go on with $2.00 more',
    });
  });

  it('starts a planned item for a member, not a viewer, and refuses one that is no longer planned (409)', async () => {
    // Created as a retro's proposals are: waiting in planned for a person.
    const planned = createRequest({ title: 'Add a lint script', repo, autoStart: false });
    await hzn.publish(apiWorkItemCreate, planned);
    const startPath = `/api/work-items/${planned.workItemId}/start`;
    const start = (browser: Browser) => hzn.request(startPath, { method: 'POST', browser, body: {} });
    await until(async () => (await workItem(planned.workItemId))?.state === 'planned', 'the item in planned');

    const viewer = await hzn.signIn(`viewer-${randomUUID().slice(0, 4)}`, 'viewer', repo);
    const refused = await start(viewer);
    expect(refused.status).toBe(403);
    expect(await message(refused)).toMatch(/needs the member role/);
    expect((await workItem(planned.workItemId)).state).toBe('planned');

    const res = await start(member);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ id: planned.workItemId, status: 'accepted' });
    const started = await until(async () => {
      const current = await workItem(planned.workItemId);
      return current.state !== 'planned' ? current : null;
    }, 'the item to leave planned');
    expect(started.timeline).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: 'console:grace',
          fromState: 'planned',
          toState: 'queued',
          cause: 'started through the API by console:grace',
        }),
      ]),
    );

    const again = await start(member);
    expect(again.status).toBe(409);
    expect(await message(again)).toMatch(
      /^the work item is \w+, not planned: only a planned item waits to be started$/,
    );
    const { entries } = (await (await hzn.request('/api/admin/audit', { browser: admin })).json()) as {
      entries: { actor: string; action: string; target: string | null }[];
    };
    expect(entries.filter((e) => e.action === 'work_item.start_requested')).toEqual([
      expect.objectContaining({ actor: 'grace', target: planned.workItemId }),
    ]);
  });
});
