import { randomUUID } from 'node:crypto';
import {
  apiWorkItemCreate,
  orchestratorGetWorkItem,
  orchestratorRepoTrends,
  runFinished,
  sandboxModelUsage,
  type FrictionEvent,
} from '@horizon/contracts';
import { RpcClient } from '@horizon/messaging';
import { createRequest } from '@horizon/testing';
import { OrchestratorStack, until } from './harness';

/**
 * A repository's trends over real Postgres and JetStream: runs ended through the bus (their tool
 * calls, friction and the proxy's token counts), merges as the orchestrator records them.
 */
describe('repository trends', () => {
  let stack: OrchestratorStack;
  let rpc: RpcClient;
  const repo = `acme/trends-${randomUUID().slice(0, 6)}`;
  const since = new Date(Date.now() - 3_600_000).toISOString();
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    stack = await OrchestratorStack.start();
    stack.standIn.behaviour = () => 'hold';
    rpc = new RpcClient(stack.connection, 'orchestrator-trends-test');
  });

  afterAll(async () => {
    await stack.stop();
  });

  const fixRound: FrictionEvent = {
    kind: 'verification_round',
    signature: 'verification_round:npm test',
    summary: 'verification `npm test` failed (exit 1)',
    count: 2,
    evidence: [8, 20],
  };

  async function run(toolCalls: number, friction: FrictionEvent[], tokens: number) {
    const data = createRequest({ title: `work ${toolCalls}`, repo });
    await stack.publish(apiWorkItemCreate, data);
    const provision = (await until(() => stack.standIn.provisionsFor(data.workItemId)[0], 'a provision'))
      .data;
    await stack.publish(sandboxModelUsage, {
      usageId: randomUUID(),
      runId: provision.runId,
      sandboxId: provision.sandboxId,
      provider: 'openai',
      model: 'gpt-4o',
      inputTokens: tokens - 100,
      outputTokens: 100,
      cachedInputTokens: 0,
      cacheWriteInputTokens: 0,
      reported: true,
      status: 200,
      costUsd: 0.01,
      at: new Date().toISOString(),
    });
    await stack.publish(runFinished, {
      runId: provision.runId,
      workItemId: data.workItemId,
      outcome: 'failed',
      reason: 'npm test failed',
      usage: null,
      durationMs: 10,
      branch: null,
      commitSha: null,
      verification: [],
      frictionNotes: [],
      friction,
      toolCalls,
    });
    await until(async () => {
      const { workItem } = await rpc.call(orchestratorGetWorkItem, { workItemId: data.workItemId });
      return workItem?.runs[0]?.outcome === 'failed';
    }, 'the run’s end');
    await until(async () => {
      const rows = await stack.query(`SELECT 1 FROM "ModelUsage" WHERE "runId" = $1`, [provision.runId]);
      return rows.length === 1;
    }, 'the run’s usage');
  }

  it('gives each repository its runs per day: tool calls, tokens, friction and fix rounds per run, and merges', async () => {
    await run(10, [fixRound], 1_000);
    await run(4, [], 3_000);
    // Two items of the repository merged an hour and three hours after they were asked for.
    for (const hours of [1, 3])
      await stack.query(
        `INSERT INTO "WorkItem" (id, kind, state, repo, title, "sourceRefs", "createdAt", "stateEnteredAt", "updatedAt")
         VALUES ($1, 'implement', 'done', $2, 'merged', '{"pullRequest": {"provider": "local", "repo": {"owner": "acme", "name": "x"}, "number": 1, "branch": "b"}}', now() - $3 * interval '1 hour', now(), now())`,
        [randomUUID(), repo, hours],
      );

    const { rows } = await rpc.call(orchestratorRepoTrends, { since, bucket: 'day', repos: [repo] });
    expect(rows).toEqual([
      {
        repo,
        period: today,
        runs: 2,
        items: 2,
        runsPerItem: 1,
        toolCallsPerRun: 7,
        tokensPerRun: 2_000,
        frictionPerRun: 1,
        fixRoundsPerRun: 1,
        merged: 2,
        medianMinutesToMerge: expect.closeTo(120, 0),
      },
    ]);
    const week = await rpc.call(orchestratorRepoTrends, { since, bucket: 'week', repos: [repo] });
    expect(week.rows).toHaveLength(1);
    expect(Date.parse(week.rows[0]!.period)).toBeLessThanOrEqual(Date.parse(today));
    expect(new Date(`${week.rows[0]!.period}T00:00:00Z`).getUTCDay()).toBe(1);
    expect(
      (await rpc.call(orchestratorRepoTrends, { since, bucket: 'day', repos: ['acme/none'] })).rows,
    ).toEqual([]);
  });
});
