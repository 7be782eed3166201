import { randomUUID } from 'node:crypto';
import {
  sandboxBudgetAnswer,
  sandboxBudgetReached,
  sandboxProvision,
  type DataOf,
  type BudgetExtra,
  type Envelope,
  type RunAllowance,
} from '@horizon/contracts';
import { git, loadScript } from '@horizon/testing';
import { ManagerStack, until } from './support/manager-stack';

// A run's allowance, enforced where no agent can lie: the egress proxy counts what the scripted
// provider reports (330 tokens a response), holds the first model request past the allowance,
// and sandbox-manager freezes the sandbox and announces it. The owner's answer lets the held
// request go on, or stops the run with its work committed and pushed; so does silence.
jest.setTimeout(90_000);

type Reached = Envelope<DataOf<typeof sandboxBudgetReached>>;

const perResponse = 330;
/** Past the second response: the third model request is held. */
const allowance = (answerTimeoutMs = 60_000): RunAllowance => ({
  tokens: 2 * perResponse - 10,
  costUsd: null,
  tokensFrom: 'run limit of 650 tokens',
  costFrom: null,
  wallMs: null,
  wallFrom: null,
  answerTimeoutMs,
});

/** A wall-time allowance of a few seconds: working time, boot included, the holds not. */
const wallAllowance = (wallMs: number): RunAllowance => ({
  ...allowance(),
  tokens: null,
  tokensFrom: null,
  wallMs,
  wallFrom: `the test's limit of ${wallMs} ms`,
});

const fixGreeting = loadScript('fix-greeting.yaml');
const script = (tag: string) => ({
  ...fixGreeting,
  title: `Budget ${tag}`,
  when: { userContains: `[${tag}]` },
});
/** Its tests take seconds: the run works past a small wall allowance before its last request. */
const slowScript = (tag: string) => ({
  ...script(tag),
  steps: fixGreeting.steps.map((step) =>
    step.name === 'run the tests'
      ? {
          ...step,
          respond: { toolCalls: [{ tool: 'bash', args: { command: 'sleep 4; node --test; env' } }] },
        }
      : step,
  ),
});

describe('sandbox-manager holds a run at its budget and asks', () => {
  let stack: ManagerStack;

  beforeAll(async () => {
    stack = await ManagerStack.start({
      model: {
        scripts: [
          script('continue'),
          script('stop'),
          script('silence'),
          slowScript('wall'),
          script('deadline'),
        ],
        vars: { workdir: '/workspace', greeting: 'Hello, Horizon' },
      },
    });
  });
  afterAll(() => stack?.close());

  const holdsOf = async (runId: string) =>
    ((await stack.events()) as Reached[]).filter(
      (e) => e.subject === sandboxBudgetReached.subject && e.data.runId === runId,
    );

  async function start(
    tag: string,
    answerTimeoutMs?: number,
    over: { allowance?: RunAllowance; deadlineAt?: string } = {},
  ) {
    const runId = randomUUID();
    const branch = `horizon/budget-${tag}`;
    const data = {
      ...stack.provisionData(runId, randomUUID(), branch, `[${tag}] Make the greeting name Horizon.`),
      allowance: allowance(answerTimeoutMs),
      ...over,
    };
    const command = await stack.send(sandboxProvision, data);
    const reached = await until(
      async () => (await holdsOf(runId))[0],
      `run ${tag} to be held at its budget`,
      60_000,
    );
    return { runId, branch, sandboxId: command.data.sandboxId, reached };
  }

  const answer = (held: { runId: string; sandboxId: string }, extra: Partial<BudgetExtra>) =>
    stack.send(sandboxBudgetAnswer, {
      ...held,
      action: 'continue',
      extra: { tokens: null, costUsd: null, minutes: null, ...extra },
      answeredBy: 'ada',
    });

  const requestsOf = (tag: string) =>
    stack.model.requests.filter((r) => r.kind === 'step' && r.script === `Budget ${tag}`);

  it('holds the request past the allowance, pauses the sandbox, and goes on when the owner continues', async () => {
    const { runId, branch, sandboxId, reached } = await start('continue');
    // The limit is passed by at most the one response that crossed it.
    expect(reached.data.spentTokens).toBeGreaterThanOrEqual(650);
    expect(reached.data.spentTokens).toBeLessThan(650 + perResponse + perResponse);
    expect(reached.data.reason).toMatch(/^run limit of 650 tokens: .* tokens spent$/);
    await stack.untilState(sandboxId, 'paused');
    const held = requestsOf('continue').length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(requestsOf('continue')).toHaveLength(held);

    await stack.send(sandboxBudgetAnswer, {
      sandboxId,
      runId,
      action: 'continue',
      extra: { tokens: 10_000, costUsd: null, minutes: null },
      answeredBy: 'ada',
    });
    const finished = await stack.untilFinished(runId);
    expect(finished.data).toMatchObject({ outcome: 'succeeded', branch });
    expect(stack.model.failures).toEqual([]);
    const states = (await stack.stateEvents(sandboxId)).map((e) => [e.data.state, e.data.reason]);
    expect(states).toEqual(
      expect.arrayContaining([
        ['paused', `held at its budget: ${reached.data.reason}`],
        ['ready', 'continued by ada at its budget'],
      ]),
    );
  });

  it('stops the run where it stood when the owner says stop, its work pushed to its branch', async () => {
    const { runId, branch, sandboxId } = await start('stop');
    await stack.untilState(sandboxId, 'paused');
    await stack.send(sandboxBudgetAnswer, {
      sandboxId,
      runId,
      action: 'stop',
      extra: { tokens: null, costUsd: null, minutes: null },
      answeredBy: 'ada',
    });
    const finished = await stack.untilFinished(runId);
    expect(finished.data).toMatchObject({ outcome: 'cancelled', branch });
    expect(finished.data.reason).toMatch(/^stopped at its budget by ada \(run limit of 650 tokens/);
    expect(finished.data.commitSha).toMatch(/^[0-9a-f]{40}$/);
    expect(git(stack.bare, 'rev-parse', `refs/heads/${branch}`)).toBe(finished.data.commitSha);
    expect(git(stack.bare, 'show', `${finished.data.commitSha}:greeting.js`)).toContain('Hello, Horizon');
  });

  it('stops it the same way when nobody answers in time', async () => {
    const { runId, branch, sandboxId } = await start('silence', 2_000);
    await stack.untilState(sandboxId, 'paused');
    const finished = await stack.untilFinished(runId);
    expect(finished.data).toMatchObject({ outcome: 'cancelled', branch });
    expect(finished.data.reason).toMatch(/^stopped at its budget: no answer within 2 s/);
    expect(git(stack.bare, 'rev-parse', `refs/heads/${branch}`)).toBe(finished.data.commitSha);
  });

  it('holds a run past its wall-time allowance the same way; tokens do not answer it, minutes do', async () => {
    const held = await start('wall', undefined, { allowance: wallAllowance(3_000) });
    expect(held.reached.data.reason).toMatch(/^the test's limit of 3000 ms: \d+ s of 3 s worked$/);
    await stack.untilState(held.sandboxId, 'paused');

    await answer(held, { tokens: 10_000 });
    await until(async () => (await holdsOf(held.runId)).length === 2, 'the run to be held again at once');
    await stack.untilState(held.sandboxId, 'paused');

    await answer(held, { minutes: 1 });
    const finished = await stack.untilFinished(held.runId);
    expect(finished.data).toMatchObject({ outcome: 'succeeded', branch: held.branch });
    expect(stack.model.failures).toEqual([]);
  });

  it('keeps its deadline still while it is held: a run held past its deadline goes on when continued', async () => {
    // Held at its first model request; its deadline (and the runner's grace, 5 s here) pass while it waits.
    const deadlineAt = new Date(Date.now() + 20_000);
    const held = await start('deadline', undefined, {
      allowance: wallAllowance(1),
      deadlineAt: deadlineAt.toISOString(),
    });
    await stack.untilState(held.sandboxId, 'paused');
    await new Promise((r) => setTimeout(r, Math.max(0, deadlineAt.getTime() + 6_000 - Date.now())));
    expect((await stack.runEvents(held.runId)).finished).toBeUndefined();

    await answer(held, { minutes: 1 });
    const finished = await stack.untilFinished(held.runId);
    expect(finished.data).toMatchObject({ outcome: 'succeeded', branch: held.branch });
  });
});
