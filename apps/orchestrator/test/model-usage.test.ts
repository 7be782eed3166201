import { randomUUID } from 'node:crypto';
import {
  apiWorkItemCreate,
  orchestratorCreateFleet,
  orchestratorUsageRollup,
  sandboxModelUsage,
  type DataOf,
} from '@horizon/contracts';
import { RpcClient } from '@horizon/messaging';
import { createRequest } from '@horizon/testing';
import { OrchestratorStack, until } from './harness';

/**
 * The orchestrator keeps the model usage sandbox-manager's egress proxy counted, once per
 * request whatever is redelivered, and answers rollups of it, over real Postgres and JetStream.
 */
describe('model usage: recorded once, rolled up', () => {
  let stack: OrchestratorStack;
  let rpc: RpcClient;

  beforeAll(async () => {
    stack = await OrchestratorStack.start();
    // The stand-in starts runs and keeps them going: usage arrives while they run.
    stack.standIn.behaviour = () => 'hold';
    rpc = new RpcClient(stack.connection, 'orchestrator-usage-test');
  });

  afterAll(async () => {
    await stack.stop();
  });

  async function runIn(repo: string) {
    const data = createRequest({ title: `work in ${repo}`, repo });
    await stack.publish(apiWorkItemCreate, data);
    const provision = await until(() => stack.standIn.provisionsFor(data.workItemId)[0], 'a provision');
    return provision.data;
  }

  const usage = (
    run: { runId: string; sandboxId: string },
    counts: Partial<DataOf<typeof sandboxModelUsage>> = {},
  ): DataOf<typeof sandboxModelUsage> => ({
    usageId: randomUUID(),
    runId: run.runId,
    sandboxId: run.sandboxId,
    provider: 'anthropic',
    model: 'claude-sonnet-4-5-20250929',
    inputTokens: 1200,
    outputTokens: 60,
    cachedInputTokens: 1000,
    cacheWriteInputTokens: 100,
    reported: true,
    status: 200,
    costUsd: 0.001875,
    at: new Date().toISOString(),
    ...counts,
  });

  async function handled(envelopeIds: string[]) {
    await until(async () => {
      const claimed = await stack.query(
        `SELECT 1 FROM "ProcessedMessage" WHERE "envelopeId" = ANY($1::text[])`,
        [envelopeIds],
      );
      return claimed.length === envelopeIds.length;
    }, 'the usage events to be handled');
  }

  it('keeps each request once across redelivery and replayed outbox rows, and drops an unknown run', async () => {
    const run = await runIn('acme/usage-once');
    const first = usage(run);
    const sent = [
      await stack.publish(sandboxModelUsage, first),
      // The same usage under another envelope (an outbox row replayed after a crash): still one row.
      await stack.publish(sandboxModelUsage, first),
      await stack.publish(sandboxModelUsage, usage({ runId: randomUUID(), sandboxId: run.sandboxId })),
    ];
    // The very same envelope again, as JetStream redelivers an unacked message.
    await stack.publisher.publish(sent[0]!);
    await handled(sent.map((e) => e.id));
    const rows = await stack.query<{ id: string; inputTokens: number; costUsd: string }>(
      `SELECT id::text, "inputTokens", "costUsd"::text FROM "ModelUsage" WHERE "runId" = $1`,
      [run.runId],
    );
    expect(rows).toEqual([{ id: first.usageId, inputTokens: 1200, costUsd: '0.001875' }]);
    expect(await stack.query(`SELECT 1 FROM "ModelUsage" WHERE "runId" <> $1`, [run.runId])).toEqual([]);
  });

  it('rolls usage up per repository, run and day, keeps unpriced apart, and scopes by repository', async () => {
    const a = await runIn('acme/usage-a');
    const b = await runIn('acme/usage-b');
    const sent = [
      await stack.publish(sandboxModelUsage, usage(a)),
      await stack.publish(
        sandboxModelUsage,
        usage(a, {
          inputTokens: 800,
          outputTokens: 40,
          cachedInputTokens: 0,
          cacheWriteInputTokens: 0,
          costUsd: 0.003,
        }),
      ),
      await stack.publish(sandboxModelUsage, usage(b, { model: 'my-local-model', costUsd: null })),
      // A refused request: counted as a request, no tokens, and not "unpriced".
      await stack.publish(
        sandboxModelUsage,
        usage(b, {
          model: null,
          inputTokens: 0,
          outputTokens: 0,
          cachedInputTokens: 0,
          cacheWriteInputTokens: 0,
          reported: false,
          status: 429,
          costUsd: null,
        }),
      ),
    ];
    await handled(sent.map((e) => e.id));
    const since = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const repos = ['acme/usage-a', 'acme/usage-b'];

    const byRepo = await rpc.call(orchestratorUsageRollup, { by: 'repo', since, repos });
    expect(byRepo.rows).toEqual([
      {
        key: 'acme/usage-a',
        label: null,
        runs: 1,
        requests: 2,
        inputTokens: 2000,
        outputTokens: 100,
        cachedInputTokens: 1000,
        cacheWriteInputTokens: 100,
        costUsd: 0.004875,
        unpricedRequests: 0,
        harnessInputTokens: 0,
        harnessOutputTokens: 0,
      },
      expect.objectContaining({
        key: 'acme/usage-b',
        runs: 1,
        requests: 2,
        inputTokens: 1200,
        costUsd: 0,
        unpricedRequests: 1,
      }),
    ]);

    const byRun = await rpc.call(orchestratorUsageRollup, { by: 'run', since, repos: ['acme/usage-b'] });
    expect(byRun.rows.map((r) => r.key)).toEqual([b.runId]);

    const ofItem = await rpc.call(orchestratorUsageRollup, { by: 'item', since, workItemId: a.workItemId });
    expect(ofItem.rows).toEqual([expect.objectContaining({ key: a.workItemId, runs: 1, requests: 2 })]);

    const byDay = await rpc.call(orchestratorUsageRollup, { by: 'day', since, repos });
    expect(byDay.rows).toEqual([
      expect.objectContaining({
        key: new Date().toISOString().slice(0, 10),
        runs: 2,
        requests: 4,
        inputTokens: 3200,
      }),
    ]);

    const later = await rpc.call(orchestratorUsageRollup, {
      by: 'repo',
      since: new Date(Date.now() + 60_000).toISOString(),
      repos,
    });
    expect(later.rows).toEqual([]);
  });

  it('rolls usage up per plan (the plan run and the items it planned) and per fleet, with their titles', async () => {
    // A plan whose run is answered with two issues; the first starts and is held like the others.
    const plan = createRequest({ title: 'Usage plan', repo: 'acme/usage-plan' });
    await stack.publish(apiWorkItemCreate, { ...plan, kind: 'plan' });
    const planRun = await until(() => stack.standIn.provisionsFor(plan.workItemId)[0], 'the plan run');
    const issues = [
      { key: 'A', title: 'Planned A' },
      { key: 'B', title: 'Planned B', blockedBy: ['A'] },
    ];
    const sent = [await stack.publish(sandboxModelUsage, usage(planRun.data, { costUsd: 0.01 }))];
    await handled(sent.map((e) => e.id));
    await stack.standIn.finish(
      planRun.data,
      'succeeded',
      null,
      'The plan.\n\n```json\n' + JSON.stringify({ issues }) + '\n```',
    );
    const [child] = await until(async () => {
      const rows = await stack.query<{ id: string }>(
        `SELECT id::text FROM "WorkItem" WHERE "parentId" = $1 AND title = 'Planned A'`,
        [plan.workItemId],
      );
      return rows.length > 0 && rows;
    }, 'the planned item');
    const childRun = await until(() => stack.standIn.provisionsFor(child!.id)[0], 'the planned run');

    const fleet = await rpc.call(orchestratorCreateFleet, {
      fleet: {
        title: 'Usage fleet',
        prompt: 'Bump the linter.',
        selector: { repos: ['acme/usage-f1', 'acme/usage-f2'] },
        cap: 2,
        priority: 5,
      },
      ownerId: null,
      requestedBy: 'api-token:test',
    });
    const fleetRuns = await until(() => {
      const runs = stack.standIn.provisions.filter((p) =>
        ['acme/usage-f1', 'acme/usage-f2'].includes(p.data.repo),
      );
      return runs.length === 2 && runs;
    }, 'both fleet runs');
    sent.push(
      await stack.publish(sandboxModelUsage, usage(childRun.data, { costUsd: 0.02 })),
      ...(await Promise.all(
        fleetRuns.map((r) => stack.publish(sandboxModelUsage, usage(r.data, { costUsd: 0.5 }))),
      )),
    );
    await handled(sent.map((e) => e.id));
    const since = new Date(Date.now() - 3_600_000).toISOString();

    const byPlan = await rpc.call(orchestratorUsageRollup, {
      by: 'plan',
      since,
      repos: ['acme/usage-plan'],
    });
    expect(byPlan.rows).toEqual([
      expect.objectContaining({
        key: plan.workItemId,
        label: 'Usage plan',
        runs: 2,
        requests: 2,
        costUsd: 0.03,
      }),
    ]);
    const byFleet = await rpc.call(orchestratorUsageRollup, {
      by: 'fleet',
      since,
      repos: ['acme/usage-f1', 'acme/usage-f2', 'acme/usage-plan'],
    });
    expect(byFleet.rows).toEqual([
      expect.objectContaining({ key: fleet.id, label: 'Usage fleet', runs: 2, costUsd: 1 }),
      // Work of no fleet is one row of its own, not dropped.
      expect.objectContaining({ key: null, label: null, runs: 2 }),
    ]);
  });
});
