import { randomUUID } from 'node:crypto';
import {
  apiWorkItemCancel,
  apiWorkItemCreate,
  orchestratorCreateRetro,
  orchestratorGetWorkItem,
  runFinished,
  scheduleFired,
  type DataOf,
  type FrictionEvent,
  type PlannedIssue,
} from '@horizon/contracts';
import { RpcClient } from '@horizon/messaging';
import { cancelRequest, createRequest } from '@horizon/testing';
import { OrchestratorStack, until } from './harness';

/**
 * Retros over real Postgres and JetStream: the papercuts a repository's runs met become a retro
 * item's task; its run's plan becomes proposed fixes that wait for people; a proposal cancelled
 * while planned is a rejection the next retro leaves alone.
 */
describe('retros: papercuts in, proposed fixes out', () => {
  let stack: OrchestratorStack;
  let rpc: RpcClient;
  const repo = 'acme/retro';
  const since = new Date(Date.now() - 3_600_000).toISOString();

  beforeAll(async () => {
    stack = await OrchestratorStack.start();
    stack.standIn.behaviour = () => 'hold';
    rpc = new RpcClient(stack.connection, 'orchestrator-retro-test');
  });

  afterAll(async () => {
    await stack.stop();
  });

  const lint: FrictionEvent = {
    kind: 'missing_script',
    signature: 'missing_script:lint',
    summary: '`npm run lint`: the script "lint" is not declared',
    count: 1,
    evidence: [4],
  };
  const flaky: FrictionEvent = {
    kind: 'command_retried',
    signature: 'command_retried:npm test',
    summary: '`npm test` failed (exit 1), then passed when run again',
    count: 1,
    evidence: [7, 9],
  };

  const getItem = async (workItemId: string) =>
    (await rpc.call(orchestratorGetWorkItem, { workItemId })).workItem!;

  /** Ends the item's current run as the sandbox would, with `extra` (friction, a plan as summary). */
  async function endRun(workItemId: string, extra: Partial<DataOf<typeof runFinished>>) {
    const provision = await until(() => stack.standIn.provisionsFor(workItemId).at(-1), 'a provision');
    await stack.publish(runFinished, {
      runId: provision.data.runId,
      workItemId,
      outcome: 'succeeded',
      reason: null,
      usage: null,
      durationMs: 10,
      branch: null,
      commitSha: null,
      verification: [],
      frictionNotes: [],
      ...extra,
    });
    return provision.data;
  }

  async function runMeeting(title: string, friction: FrictionEvent[]) {
    const data = createRequest({ title, repo });
    await stack.publish(apiWorkItemCreate, data);
    await endRun(data.workItemId, { friction });
    await until(
      async () => (await getItem(data.workItemId)).runs[0]?.outcome === 'succeeded',
      'the run’s end',
    );
  }

  const plan = (issues: Partial<PlannedIssue>[]) =>
    'Here are the fixes.\n\n```json\n' +
    JSON.stringify({
      issues: issues.map((issue, i) => ({ key: `F${i}`, title: `fix ${i}`, description: 'Why.', ...issue })),
    }) +
    '\n```';

  const retro = (retroId = randomUUID()) =>
    rpc.call(orchestratorCreateRetro, { retroId, repo, since, ownerId: null, requestedBy: 'api-token:t1' });

  it('refuses a retro with nothing to fix, naming why', async () => {
    await expect(
      rpc.call(orchestratorCreateRetro, {
        retroId: randomUUID(),
        repo: 'acme/smooth',
        since,
        ownerId: null,
        requestedBy: 'api-token:t1',
      }),
    ).rejects.toMatchObject({
      code: 'nothing_to_fix',
      message: expect.stringContaining('no run on acme/smooth met a papercut'),
    });
  });

  it('hands the papercuts to a plan run and keeps its proposals planned; a cancelled one is not proposed again', async () => {
    await runMeeting('Add discounts', [lint]);
    await runMeeting('Add a subtotal', [{ ...lint, evidence: [6] }, flaky]);

    const retroId = randomUUID();
    expect(await retro(retroId)).toEqual({ workItemId: retroId, papercuts: 2, rejected: [] });
    // Asked again (a retried request): the same retro, not a second one.
    expect((await retro(retroId)).workItemId).toBe(retroId);
    const item = await getItem(retroId);
    expect(item).toMatchObject({
      kind: 'retro',
      repo,
      title: expect.stringMatching(/^Retro: acme\/retro since /),
    });
    expect(item.description).toContain(
      '1. `missing_script:lint` — a package script that is not declared; 2 run(s), 2 time(s)',
    );
    expect(item.description).toMatch(/run [0-9a-f-]{36} \("Add a subtotal"\) transcript lines 7/);
    expect(item.description).toContain('2. `command_retried:npm test`');

    const provision = await endRun(retroId, {
      summary: plan([
        { title: 'Add a lint script', friction: ['missing_script:lint'] },
        { title: 'Quarantine the flaky npm test', friction: ['command_retried:npm test'] },
      ]),
    });
    expect(provision.flavour).toBe('plan');
    const done = await until(async () => {
      const it = await getItem(retroId);
      return it.state === 'done' && it;
    }, 'the retro to be done');
    expect(done.timeline.at(-1)!.cause).toContain(
      'proposed 2 fix(es), each waiting for a person to start it',
    );
    const children = await stack.query<{ id: string; title: string; state: string; description: string }>(
      `SELECT id::text, title, state::text, description FROM "WorkItem" WHERE "parentId" = $1 ORDER BY title`,
      [retroId],
    );
    expect(children.map((c) => [c.title, c.state])).toEqual([
      ['Add a lint script', 'planned'],
      ['Quarantine the flaky npm test', 'planned'],
    ]);
    expect(children[0]!.description).toContain('Fixes friction: `missing_script:lint`');

    // A person rejects the lint proposal: the next retro leaves the lint papercut out…
    await stack.publish(apiWorkItemCancel, cancelRequest(children[0]!.id, 'we lint in CI'));
    await until(async () => (await getItem(children[0]!.id)).state === 'cancelled', 'the cancel');
    const next = randomUUID();
    expect(await retro(next)).toEqual({ workItemId: next, papercuts: 1, rejected: ['missing_script:lint'] });
    const nextItem = await getItem(next);
    expect(nextItem.description).not.toContain('1. `missing_script:lint`');
    expect(nextItem.description).toContain('propose nothing for them:\n- `missing_script:lint`');
    // …and drops a proposal that fixes only it, should the agent make one anyway.
    await endRun(next, {
      summary: plan([
        { title: 'Add a lint script again', friction: ['missing_script:lint'] },
        {
          title: 'Retry flaky tests once in CI',
          friction: ['command_retried:npm test', 'missing_script:lint'],
        },
      ]),
    });
    const after = await until(async () => {
      const it = await getItem(next);
      return it.state === 'done' && it;
    }, 'the second retro to be done');
    expect(after.timeline.at(-1)!.cause).toContain(
      'left out 1 that fix only papercuts whose fixes were rejected before: Add a lint script again',
    );
    const proposed = await stack.query<{ title: string }>(
      `SELECT title FROM "WorkItem" WHERE "parentId" = $1`,
      [next],
    );
    expect(proposed).toEqual([{ title: 'Retry flaky tests once in CI' }]);
  });

  it('a retro schedule’s tick starts a retro over the week before it, or nothing when the week was smooth', async () => {
    const fire = async (repo: string) => {
      const workItemId = randomUUID();
      const tickAt = new Date().toISOString();
      await stack.publish(scheduleFired, {
        delivery: {
          source: 'schedule',
          deliveryId: `${randomUUID()}:${tickAt}`,
          event: 'schedule_fired',
          action: null,
          receivedAt: tickAt,
        },
        scheduleId: randomUUID(),
        name: 'weekly-retro',
        repo,
        origin: 'config',
        tickAt,
        skippedTicks: 0,
        workItemId,
        title: 'Weekly retro',
        prompt: 'Prefer fixes in package.json.',
        flavour: 'retro',
        ownerId: null,
      });
      return workItemId;
    };
    const retroId = await fire(repo);
    const item = await until(
      async () => (await rpc.call(orchestratorGetWorkItem, { workItemId: retroId })).workItem,
      'the scheduled retro',
    );
    expect(item).toMatchObject({ kind: 'retro', repo, labels: ['schedule'] });
    expect(item.description).toContain('`command_retried:npm test`');
    expect(item.description).toMatch(/\n\nAlso: Prefer fixes in package\.json\.$/);
    expect(item.timeline[0]).toMatchObject({ actor: 'schedule:weekly-retro' });

    const smoothId = await fire('acme/smooth-week');
    const ignored = await until(async () => {
      const rows = await stack.query<{ cause: string }>(
        `SELECT cause FROM "AuditEvent" WHERE action = 'ignored' AND actor = 'schedule:weekly-retro'`,
      );
      return rows.length > 0 && rows;
    }, 'the smooth week to be noted');
    expect(ignored[0]!.cause).toContain('no run on acme/smooth-week met a papercut');
    expect((await rpc.call(orchestratorGetWorkItem, { workItemId: smoothId })).workItem).toBeNull();
  });
});
