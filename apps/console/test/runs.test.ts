import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { apiWorkItemCreate, runFinished, runProgress, runStarted, type DataOf } from '@horizon/contracts';
import { createRequest, startServiceProcess, until, type ServiceProcess } from '@horizon/testing';
import type { RunPage, WorkItemPage } from '../src/shared/console-api';
import { ConsoleUnderTest, type Browser } from './support/console-under-test';
import { SseReader } from './support/sse';

/**
 * Run pages and steering over real HTTP, Postgres and JetStream: the console's own transcript
 * of a run the real orchestrator started, kept exactly once from the events, and a member's
 * cancellation through the real ingress (its own process) to the orchestrator.
 */
describe('console runs', () => {
  let hzn: ConsoleUnderTest;
  let ingress: ServiceProcess;
  let admin: Browser;
  const repo = `acme/r${randomUUID().slice(0, 6)}`;
  const otherRepo = `acme/s${randomUUID().slice(0, 6)}`;
  const transcribed = createRequest({ title: 'Add refunds', repo });
  const toCancel = createRequest({ title: 'Add gift cards', repo });

  const page = async (id: string, browser: Browser = admin) =>
    (await (await hzn.request(`/api/work-items/${id}`, { browser })).json()) as WorkItemPage;
  const runOf = async (workItemId: string) => (await page(workItemId)).workItem.runs[0]?.id;
  const progress = (
    runId: string,
    seq: number,
    kind: string,
    detail: Record<string, unknown>,
  ): DataOf<typeof runProgress> => ({
    runId,
    workItemId: transcribed.workItemId,
    seq,
    phase: kind.startsWith('verify') ? 'verification' : 'harness',
    kind,
    summary: `${kind} ${seq}`,
    detail,
  });
  /** Every event the console's durable consumer was given has been acknowledged. */
  const consumed = () =>
    until(async () => {
      const info = await hzn.conn.jsm.consumers.info(hzn.conn.naming.stream('EVT'), 'console-runs');
      return info.num_pending === 0 && info.num_ack_pending === 0;
    }, 'the console to take every run event');

  beforeAll(async () => {
    hzn = await ConsoleUnderTest.start();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-runs-ingress-'));
    ingress = await startServiceProcess('ingress', { db: hzn.db, messaging: hzn.messaging, dataDir });
    for (const item of [transcribed, toCancel]) await hzn.publish(apiWorkItemCreate, item);
    admin = await hzn.signIn('ada');
    await until(
      async () => (await runOf(transcribed.workItemId)) && (await runOf(toCancel.workItemId)),
      'the orchestrator to start a run for each item',
    );
  }, 120_000);
  afterAll(async () => {
    await ingress?.stop();
    await hzn?.stop();
  });

  it('answers a run with its transcript in order, each line once even when its event came twice', async () => {
    const runId = (await runOf(transcribed.workItemId))!;
    const started = await until(async () => {
      const res = await hzn.request(`/api/runs/${runId}`, { browser: admin });
      return res.status === 200 ? ((await res.json()) as RunPage) : null;
    }, 'the run page once the console saw run.started');
    expect(started).toMatchObject({ run: { id: runId, attempt: 1 }, transcript: [] });
    expect(started.workItem).toEqual({
      id: transcribed.workItemId,
      title: 'Add refunds',
      repo,
      state: expect.any(String),
    });

    const tool = progress(runId, 1, 'tool_use', { tool: 'bash', input: { command: 'ls' }, output: 'a\n' });
    await hzn.publish(runProgress, tool);
    await hzn.publish(runProgress, progress(runId, 0, 'text', { text: 'Looking around.' }));
    await hzn.publish(runProgress, tool); // the publisher's retry: the same line again
    // Another run.started for the same run (a republished outbox row) changes nothing either.
    await hzn.publish(runStarted, {
      runId,
      workItemId: transcribed.workItemId,
      attempt: 1,
      flavour: 'implement',
      harness: 'opencode',
      model: 'test',
      deadlineAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await hzn.publish(runFinished, {
      runId,
      workItemId: transcribed.workItemId,
      outcome: 'failed',
      reason: 'verification failed',
      usage: { inputTokens: 1200, outputTokens: 340, costUsd: 0.05 },
      durationMs: 4000,
      toolCalls: 6,
      branch: null,
      commitSha: null,
      verification: [{ command: 'npm test', exitCode: 1, durationMs: 900 }],
      frictionNotes: [],
    });
    await consumed();
    const run = await until(async () => {
      const body = (await (await hzn.request(`/api/runs/${runId}`, { browser: admin })).json()) as RunPage;
      return body.run.outcome ? body : null;
    }, 'the orchestrator to record the outcome');
    expect(run.transcript.map((e) => [e.seq, e.kind])).toEqual([
      [0, 'text'],
      [1, 'tool_use'],
    ]);
    expect(run.transcript[1]).toMatchObject({ phase: 'harness', detail: { tool: 'bash', output: 'a\n' } });
    expect(run.run).toMatchObject({
      outcome: 'failed',
      inputTokens: 1200,
      outputTokens: 340,
      costUsd: 0.05,
      toolCalls: 6,
      verification: [{ command: 'npm test', exitCode: 1 }],
    });
    expect(run.streamSeq).toBeGreaterThan(0);
    const rows = await hzn.query<{ n: string }>(
      `SELECT count(*) AS n FROM console."ConsoleRunEntry" WHERE "runId" = '${runId}'`,
    );
    expect(Number(rows[0]!.n)).toBe(2);
  });

  it('streams new transcript lines after the position the page was read at', async () => {
    const runId = (await runOf(transcribed.workItemId))!;
    const before = (await (await hzn.request(`/api/runs/${runId}`, { browser: admin })).json()) as RunPage;
    const live = await SseReader.open(`${hzn.url}/api/events?after=${before.streamSeq}`, {
      cookie: admin.cookie,
    });
    await hzn.publish(runProgress, progress(runId, 2, 'verify.failed', { command: 'npm test', exitCode: 1 }));
    const line = await until(
      () => live.events.find((e) => e.subject === 'hzn.evt.run.progress' && e.data.seq === 2),
      'the new line on the live stream',
    );
    expect(line.data).toMatchObject({ runId, kind: 'verify.failed' });
    await live.close();
  });

  it('answers 404 for an unknown run and for a run in a repository the person cannot see', async () => {
    const runId = (await runOf(transcribed.workItemId))!;
    expect((await hzn.request(`/api/runs/${randomUUID()}`, { browser: admin })).status).toBe(404);
    const outsider = await hzn.signIn(`outsider-${randomUUID().slice(0, 4)}`, 'admin', otherRepo);
    const res = await hzn.request(`/api/runs/${runId}`, { browser: outsider });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toMatch(/that you may see/);
    expect((await hzn.request('/api/runs/not-a-uuid', { browser: admin })).status).toBe(400);
  });

  it('refuses a cancellation to a viewer of the repository (403) and to a member elsewhere (404)', async () => {
    const viewer = await hzn.signIn(`viewer-${randomUUID().slice(0, 4)}`, 'viewer', repo);
    const path = `/api/work-items/${toCancel.workItemId}/cancel`;
    expect((await hzn.request(path, { method: 'POST', browser: viewer, body: {} })).status).toBe(403);
    const elsewhere = await hzn.signIn(`elsewhere-${randomUUID().slice(0, 4)}`, 'member', otherRepo);
    expect((await hzn.request(path, { method: 'POST', browser: elsewhere, body: {} })).status).toBe(404);
    expect((await page(toCancel.workItemId)).workItem.state).not.toBe('cancelled');
  });

  it('cancels through ingress for a member, who is the actor in both audits', async () => {
    const member = await hzn.signIn('grace', 'member', repo);
    const res = await hzn.request(`/api/work-items/${toCancel.workItemId}/cancel`, {
      method: 'POST',
      browser: member,
      body: { reason: 'wrong approach' },
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ id: toCancel.workItemId, status: 'accepted' });
    const cancelled = await until(async () => {
      const item = (await page(toCancel.workItemId)).workItem;
      return item.state === 'cancelled' ? item : null;
    }, 'the orchestrator to cancel the item');
    expect(cancelled.timeline).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: 'console:grace', toState: 'cancelled', cause: 'wrong approach' }),
      ]),
    );
    const { entries } = (await (await hzn.request('/api/admin/audit', { browser: admin })).json()) as {
      entries: { actor: string; action: string; target: string | null }[];
    };
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: 'grace',
          action: 'work_item.cancel_requested',
          target: toCancel.workItemId,
        }),
      ]),
    );
  });
});
