import pg from 'pg';
import { envelopeFor, sandboxRefreshSnapshots } from '@horizon/contracts';
import { git, until } from '@horizon/testing';
import { BudgetStack } from './support/budget-stack';

// Budgets on the real path: work API → orchestrator (the run's allowance from configuration and
// the repository's `.horizon/config.yaml`) → sandbox-manager and its egress proxy, which holds
// the model request past it while real OpenCode works in a bwrap sandbox → the item `waiting`
// with the reason → the owner's answer through `POST /api/v1/work-items/:id/budget`.
jest.setTimeout(90_000);

describe('budgets that pause and ask, through the work API', () => {
  let stack: BudgetStack;

  beforeAll(async () => {
    stack = await BudgetStack.start({
      name: 'budgets',
      // acme/capped's monthly ("project") limit is spent by one response of its first run.
      repos: { app: '', capped: 'budgets:\n  project: { tokens: 1 }\n' },
      tags: ['continue', 'stop', 'capped', 'restart'],
    });
  });
  afterAll(() => stack?.close());

  const api = (route: string, init?: { method?: string; body?: unknown }) => stack.api(route, init);
  const untilState = (id: string, state: string) => stack.untilState(id, state);

  const create = async (repo: string, tag: string) => {
    const { status, body } = await api('/work-items', {
      method: 'POST',
      body: { repo, title: `[${tag}] Make the greeting name Horizon.`, owner: null },
    });
    expect(status).toBe(202);
    return body.id as string;
  };

  it('a run crossing its limit waits with the reason; "continue" with more lets it finish', async () => {
    const id = await create('acme/app', 'continue');
    const waiting = await untilState(id, 'waiting');
    expect(waiting.waiting).toMatchObject({
      kind: 'run',
      reason: expect.stringMatching(/^run limit of 650 tokens: /),
    });
    // Nothing to answer once it moved on; an answer without an amount is refused up front.
    expect(
      (await api(`/work-items/${id}/budget`, { method: 'POST', body: { action: 'continue' } })).status,
    ).toBe(400);

    const answered = await api(`/work-items/${id}/budget`, {
      method: 'POST',
      body: { action: 'continue', extraTokens: 10_000 },
    });
    expect(answered.status).toBe(202);
    await untilState(id, 'in_review');
    expect(stack.model.failures).toEqual([]);
    expect((await api(`/work-items/${id}/budget`, { method: 'POST', body: { action: 'stop' } })).status).toBe(
      409,
    );

    // Counted by the proxy from the provider's answers, exactly: what the model server reported.
    const reported = stack.model.requests
      .filter((r) => r.script === 'Budget continue' && r.usage)
      .reduce((sum, r) => sum + r.usage!.input + r.usage!.output, 0);
    const usage = await api(`/usage?by=item&since=1d`);
    const row = (usage.body.rows as { key: string; inputTokens: number; outputTokens: number }[]).find(
      (r) => r.key === id,
    );
    expect(row && row.inputTokens + row.outputTokens).toBe(reported);
  });

  it('"stop" ends the held run where it stood, its work pushed to its branch', async () => {
    const id = await create('acme/app', 'stop');
    await untilState(id, 'waiting');
    expect((await api(`/work-items/${id}/budget`, { method: 'POST', body: { action: 'stop' } })).status).toBe(
      202,
    );
    const cancelled = await untilState(id, 'cancelled');
    const run = (await stack.detail(id)).runs.at(-1)!;
    expect(run).toMatchObject({
      outcome: 'cancelled',
      failureReason: expect.stringMatching(/^stopped at its budget by api-token:/),
    });
    const head = git(stack.bare('app'), 'rev-parse', `refs/heads/${cancelled.branch}`);
    expect(git(stack.bare('app'), 'show', `${head}:greeting.js`)).toContain('Hello, Horizon');
  });

  it('a spent project budget keeps new runs from starting: the item waits with the reason', async () => {
    // The repository's limits arrive with its snapshot, as its schedules do.
    await stack.services.publisher.publish(
      envelopeFor(
        sandboxRefreshSnapshots,
        { repo: 'acme/capped', flavours: ['implement'] },
        { source: 'test' },
      ),
    );
    const db = new pg.Client({ connectionString: stack.services.db.url });
    await db.connect();
    try {
      await until(
        async () =>
          (await db.query(`SELECT 1 FROM orchestrator."RepoBudgetSettings" WHERE repo = 'acme/capped'`))
            .rowCount || null,
        "acme/capped's budgets to be known",
        60_000,
      );
    } finally {
      await db.end();
    }
    const first = await create('acme/capped', 'capped');
    const held = await untilState(first, 'waiting');
    expect(held.waiting?.reason).toMatch(/^the repository's monthly limit of 1 tokens: /);

    const second = await create('acme/capped', 'capped');
    const refused = await untilState(second, 'waiting');
    expect(refused.waiting).toEqual({
      kind: 'start',
      reason: "the repository's monthly limit of 1 tokens is spent",
      answerBy: null,
    });
    expect((await stack.detail(second)).runs).toEqual([]);
    // A person's "stop" (the CLI's) ends the one that never started; cancelling the held one thaws and ends its run.
    expect(await stack.cli('budget', 'stop', second)).toMatchObject({
      code: 0,
      stdout: `asked ${second} to stop\n`,
    });
    await untilState(second, 'cancelled');
    expect((await api(`/work-items/${first}/cancel`, { method: 'POST', body: {} })).status).toBe(202);
    await untilState(first, 'cancelled');
  });

  it('restarting sandbox-manager loses no counts: what the held run spent stays counted, once', async () => {
    const id = await create('acme/app', 'restart');
    await untilState(id, 'waiting');
    const served = stack.model.requests
      .filter((r) => r.script === 'Budget restart' && r.usage)
      .reduce((sum, r) => sum + r.usage!.input + r.usage!.output, 0);
    expect(served).toBeGreaterThanOrEqual(650);
    await stack.restartSandboxManager();
    // The run went with its sandbox (retried after the back-off); its counts did not.
    await until(
      async () => (await stack.detail(id)).runs[0]!.outcome === 'infra_error',
      'the lost run to be recorded',
    );
    const counted = async () => {
      const { rows } = (await api('/usage?by=item&since=1d')).body as {
        rows: { key: string; inputTokens: number; outputTokens: number; requests: number }[];
      };
      const row = rows.find((r) => r.key === id);
      return row ? row.inputTokens + row.outputTokens : 0;
    };
    await until(
      async () => (await counted()) === served,
      'every response served before the restart to be counted',
    );
    expect((await api(`/work-items/${id}/cancel`, { method: 'POST', body: {} })).status).toBe(202);
    await untilState(id, 'cancelled');
    expect(await counted()).toBe(served);
  });
});
