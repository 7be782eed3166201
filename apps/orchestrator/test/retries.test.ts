import { apiWorkItemCancel, apiWorkItemCreate, apiWorkItemRetry, apiWorkItemStart } from '@horizon/contracts';
import { cancelRequest, createRequest, retryRequest, startRequest } from '@horizon/testing';
import { OrchestratorStack, until } from './harness';

/**
 * A person's retry of an ended item (the console's Retry) and start of a planned one (the work
 * API, the CLI, the console's Start), decided by the real orchestrator.
 */
describe('orchestrator over real Postgres and JetStream: retries and starts a person asks for', () => {
  let stack: OrchestratorStack;
  const held = new Set<string>();

  beforeAll(async () => {
    stack = await OrchestratorStack.start({ env: { SCHEDULER_INTERVAL_MS: '100' } });
    stack.standIn.behaviour = (cmd) => (held.has(cmd.workItemId) ? 'hold' : 'succeed');
  });

  afterAll(async () => {
    await stack.stop();
  });

  /** Records an item whose runs the stand-in only records (they never end by themselves). */
  async function heldItem(title: string, blockedBy: string[] = [], autoStart = true) {
    const data = createRequest({ title, blockedBy, autoStart });
    held.add(data.workItemId);
    await stack.publish(apiWorkItemCreate, data);
    await until(() => stack.item(data.workItemId), `${title} to be recorded`);
    return data.workItemId;
  }

  const refusals = (id: string) =>
    stack.query<{ actor: string; cause: string }>(
      `SELECT actor, cause FROM "AuditEvent" WHERE "workItemId" = $1 AND action = 'ignored' ORDER BY "createdAt"`,
      [id],
    );

  it('queues a failed item again and starts its next attempt on the same branch', async () => {
    const id = await heldItem('Agent gave up');
    const first = await until(() => stack.standIn.provisionsFor(id)[0], 'the first provision');
    await stack.standIn.progress(first.data, 'harness');
    await stack.standIn.finish(first.data, 'failed', 'tests still red');
    await stack.waitForState(id, 'failed');

    await stack.publish(apiWorkItemRetry, retryRequest(id, 'console:grace'));
    const second = await until(() => stack.standIn.provisionsFor(id)[1], 'the provision after the retry');
    expect(second.data.branch).toBe(first.data.branch);
    expect((await stack.runsOf(id)).map((r) => [r.attempt, r.outcome])).toEqual([
      [1, 'failed'],
      [2, null],
    ]);
    expect((await stack.transitionsOf(id)).slice(-2)).toEqual(['failed→queued', 'queued→provisioning']);
    const [retried] = await stack.query<{ actor: string; cause: string }>(
      `SELECT actor, cause FROM "AuditEvent" WHERE "workItemId" = $1 AND "toState" = 'queued' AND "fromState" = 'failed'`,
      [id],
    );
    expect(retried).toEqual({ actor: 'console:grace', cause: 'retried by console:grace' });
  });

  it('refuses, saying why, a retry of an item that has not ended and of one whose blocker is not merged', async () => {
    const blocker = await heldItem('Schema');
    const blocked = await heldItem('API', [blocker]);
    await stack.waitForState(blocked, 'blocked');

    await stack.publish(apiWorkItemRetry, retryRequest(blocked, 'console:grace'));
    await until(async () => (await refusals(blocked)).length === 1, 'the first refusal');
    await stack.publish(apiWorkItemCancel, cancelRequest(blocked, 'not now'));
    await stack.waitForState(blocked, 'cancelled');
    await stack.publish(apiWorkItemRetry, retryRequest(blocked, 'console:grace'));
    await until(async () => (await refusals(blocked)).length === 2, 'the second refusal');

    expect(await refusals(blocked)).toEqual([
      {
        actor: 'console:grace',
        cause: 'retry refused: the item is blocked; only a failed, cancelled or timed-out item is retried',
      },
      {
        actor: 'console:grace',
        cause: `retry refused: it still waits on ${blocker}; retry it once they are merged`,
      },
    ]);
    expect((await stack.item(blocked)).state).toBe('cancelled');
    expect(stack.standIn.provisionsFor(blocked)).toHaveLength(0);
  });

  it('starts a planned item into a run once; a second start is audited and changes nothing', async () => {
    // Created as a retro's proposals are: waiting in planned for a person.
    const id = await heldItem('Add a lint script', [], false);
    await stack.waitForState(id, 'planned');
    expect(stack.standIn.provisionsFor(id)).toHaveLength(0);

    await stack.publish(apiWorkItemStart, startRequest(id, 'console:grace'));
    await until(() => stack.standIn.provisionsFor(id)[0], 'the provision after the start');
    expect((await stack.transitionsOf(id)).slice(-2)).toEqual(['planned→queued', 'queued→provisioning']);
    const [started] = await stack.query<{ actor: string; cause: string }>(
      `SELECT actor, cause FROM "AuditEvent" WHERE "workItemId" = $1 AND "fromState" = 'planned' AND "toState" = 'queued'`,
      [id],
    );
    expect(started).toEqual({ actor: 'console:grace', cause: 'started through the API by console:grace' });

    await stack.publish(apiWorkItemStart, startRequest(id, 'api-token:7c1e'));
    await until(async () => (await refusals(id)).length === 1, 'the second start to be refused');
    expect(await refusals(id)).toEqual([
      {
        actor: 'api-token:7c1e',
        cause: 'start requested (started through the API by api-token:7c1e) but it is provisioning',
      },
    ]);
    expect(stack.standIn.provisionsFor(id)).toHaveLength(1);
    expect((await stack.item(id)).state).toBe('provisioning');
  });
});
