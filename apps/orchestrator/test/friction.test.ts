import {
  apiWorkItemCreate,
  orchestratorFrictionSummary,
  orchestratorGetWorkItem,
  orchestratorSearchRunHistory,
  runFinished,
  type DataOf,
  type FrictionEvent,
} from '@horizon/contracts';
import { RpcClient } from '@horizon/messaging';
import { createRequest } from '@horizon/testing';
import { OrchestratorStack, until } from './harness';

/**
 * The orchestrator keeps the friction each run reports, once per run whatever is redelivered,
 * and answers it grouped across runs by signature — what a retro reads — over real Postgres and
 * JetStream.
 */
describe('friction: kept with the run, grouped across runs', () => {
  let stack: OrchestratorStack;
  let rpc: RpcClient;
  const since = new Date(Date.now() - 60_000).toISOString();

  beforeAll(async () => {
    stack = await OrchestratorStack.start();
    stack.standIn.behaviour = () => 'hold';
    rpc = new RpcClient(stack.connection, 'orchestrator-friction-test');
  });

  afterAll(async () => {
    await stack.stop();
  });

  const missingLint = (seq: number, count = 1): FrictionEvent => ({
    kind: 'missing_script',
    signature: 'missing_script:lint',
    summary: '`npm run lint`: the script "lint" is not declared',
    count,
    evidence: [seq],
  });
  const flakyTest: FrictionEvent = {
    kind: 'command_retried',
    signature: 'command_retried:npm test',
    summary: '`npm test` failed (exit 1), then passed when run again',
    count: 1,
    evidence: [7, 9],
  };

  /** Starts a run in `repo` and ends it with `friction`; resolves once the orchestrator recorded its end. */
  async function runWith(repo: string, title: string, friction: FrictionEvent[]) {
    const data = createRequest({ title, repo });
    await stack.publish(apiWorkItemCreate, data);
    const provision = await until(() => stack.standIn.provisionsFor(data.workItemId)[0], 'a provision');
    const ended: DataOf<typeof runFinished> = {
      runId: provision.data.runId,
      workItemId: data.workItemId,
      outcome: 'succeeded',
      reason: null,
      usage: null,
      durationMs: 10,
      branch: provision.data.branch,
      commitSha: '8f3c1e2d4b5a69788796a5b4c3d2e1f0a9b8c7d6',
      verification: [],
      frictionNotes: friction.map((f) => f.summary),
      friction,
    };
    const envelope = await stack.publish(runFinished, ended);
    // The same end under another envelope (a replayed outbox row), and the envelope again.
    await stack.publish(runFinished, ended);
    await stack.publisher.publish(envelope);
    await until(async () => {
      const { workItem } = await rpc.call(orchestratorGetWorkItem, { workItemId: data.workItemId });
      return workItem?.runs[0]?.outcome === 'succeeded';
    }, 'the run’s end to be recorded');
    return { workItemId: data.workItemId, runId: provision.data.runId };
  }

  it('shows a run’s friction on its view, once, in the order the run met it', async () => {
    const run = await runWith('acme/friction-view', 'Tidy the widgets', [flakyTest, missingLint(3, 2)]);
    const { workItem } = await rpc.call(orchestratorGetWorkItem, { workItemId: run.workItemId });
    expect(workItem!.runs[0]!.friction).toEqual([missingLint(3, 2), flakyTest]);
    const rows = await stack.query(`SELECT 1 FROM "RunFriction" WHERE "runId" = $1`, [run.runId]);
    expect(rows).toHaveLength(2);
    const { matches } = await rpc.call(orchestratorSearchRunHistory, {
      text: '"lint" declared',
      repo: 'acme/friction-view',
      limit: 5,
    });
    expect(matches.map((m) => m.runId)).toEqual([run.runId]);
  });

  it('groups one papercut across runs, most runs first, with the latest runs as evidence, in the caller’s repositories', async () => {
    const repo = 'acme/friction-groups';
    const first = await runWith(repo, 'Add discounts', [missingLint(4)]);
    const second = await runWith(repo, 'Add a subtotal', [missingLint(11, 2), flakyTest]);
    await runWith('acme/friction-elsewhere', 'Elsewhere', [missingLint(2)]);

    const { groups } = await rpc.call(orchestratorFrictionSummary, { since, repos: [repo] });
    expect(groups.map((g) => [g.signature, g.runs, g.occurrences])).toEqual([
      ['missing_script:lint', 2, 3],
      ['command_retried:npm test', 1, 1],
    ]);
    expect(groups[0]).toMatchObject({
      kind: 'missing_script',
      repo,
      summary: '`npm run lint`: the script "lint" is not declared',
      examples: [
        { runId: second.runId, workItemId: second.workItemId, title: 'Add a subtotal', evidence: [11] },
        { runId: first.runId, workItemId: first.workItemId, title: 'Add discounts', evidence: [4] },
      ],
    });
    expect(Date.parse(groups[0]!.firstSeenAt)).toBeLessThanOrEqual(Date.parse(groups[0]!.lastSeenAt));

    const recurring = await rpc.call(orchestratorFrictionSummary, { since, repos: [repo], minRuns: 2 });
    expect(recurring.groups.map((g) => g.signature)).toEqual(['missing_script:lint']);
    const retried = await rpc.call(orchestratorFrictionSummary, { since, kind: 'command_retried' });
    expect(retried.groups.map((g) => [g.repo, g.signature])).toEqual(
      expect.arrayContaining([[repo, 'command_retried:npm test']]),
    );
    expect(retried.groups.every((g) => g.kind === 'command_retried')).toBe(true);
    const later = await rpc.call(orchestratorFrictionSummary, {
      since: new Date(Date.now() + 60_000).toISOString(),
      repos: [repo],
    });
    expect(later.groups).toEqual([]);
  });
});
