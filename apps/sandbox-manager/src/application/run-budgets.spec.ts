import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelProvider } from '@horizon/contracts';
import { EgressProxy, defaultFlavourPolicies } from '@horizon/sandbox';
import { ScriptedModelServer } from '@horizon/testing';
import { RunClock } from '@horizon/runner-launch';
import { RunBudgets, type BudgetHold } from './run-budgets';

// The budget on both wires: the egress proxy meters the scripted provider's own usage (OpenAI's
// `usage`, Anthropic's message events), RunBudgets counts it, and the request past the
// allowance waits in the proxy until the answer: released on "continue", refused on "stop".
const usage = { input: 400, output: 100, cached: 0, cacheWrite: 0 };
const runId = '6f1d3c8e-0d2b-4e57-9b1a-2c7f0e9d4a11';

describe.each(['openai-compatible', 'anthropic'] as const)('a run at its allowance: %s', (provider) => {
  const dir = mkdtempSync(join(tmpdir(), 'hzn-run-budget-'));
  const holds: BudgetHold[] = [];
  const budgets = new RunBudgets();
  let server: ScriptedModelServer;
  let proxy: EgressProxy;

  beforeAll(async () => {
    budgets.attach({ held: async (hold) => void holds.push(hold), unanswered: async () => undefined });
    budgets.open({
      runId,
      sandboxId: 'sbx',
      workItemId: 'item',
      allowance: {
        tokens: 900,
        costUsd: null,
        tokensFrom: 'run limit of 900 tokens',
        costFrom: null,
        wallMs: null,
        wallFrom: null,
        answerTimeoutMs: 60_000,
      },
    });
    server = await ScriptedModelServer.start({
      script: {
        steps: [0, 1, 2, 3].map((i) => ({ match: 'any' as const, respond: { text: `answer ${i}`, usage } })),
      },
      models: ['scripted-1'],
    });
    proxy = new EgressProxy({
      socketPath: join(dir, 'egress.sock'),
      policy: defaultFlavourPolicies.implement,
      run: { repo: { owner: 'acme', name: 'app' }, branch: 'horizon/run-1' },
      credentials: {
        model: { provider: provider as ModelProvider, baseUrl: server.baseUrl, apiKey: 'sk-x' },
      },
      logFile: join(dir, 'egress.jsonl'),
      insidePort: 3128,
      onModelUsage: (counted) => budgets.counted({ ...counted, runId, sandboxId: 'sbx', provider }, null),
      modelGate: budgets.gate(runId),
    });
    await proxy.start();
  });
  afterAll(async () => {
    budgets.close(runId);
    await proxy.stop();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = () =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        {
          socketPath: join(dir, 'egress.sock'),
          path: provider === 'anthropic' ? '/_horizon/model/messages' : '/_horizon/model/chat/completions',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(
        JSON.stringify({
          model: 'scripted-1',
          max_tokens: 64,
          stream: false,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      );
    });
  /** The meter reports after the response closed, which may come just after the client read it. */
  const settle = () => new Promise((r) => setTimeout(r, 50));

  it('holds the request past the allowance until "continue", then until "stop", which refuses it', async () => {
    expect((await post()).status).toBe(200);
    await settle();
    expect((await post()).status).toBe(200); // 500 of 900: this one crosses it
    await settle();
    const held = post();
    await new Promise((r) => setTimeout(r, 300));
    expect(server.agentRequests).toHaveLength(2);
    expect(holds).toEqual([
      expect.objectContaining({
        runId,
        spentTokens: 1000,
        reason: 'run limit of 900 tokens: 1,000 of 900 tokens spent',
      }),
    ]);

    expect(budgets.answer(runId, 'continue', { tokens: 500, costUsd: null, minutes: null }, 'ada').kind).toBe(
      'continued',
    );
    budgets.resume(runId);
    expect((await held).status).toBe(200);
    await settle();
    // 1,500 of 1,400: held again, and this time stopped.
    const stopped = post();
    await new Promise((r) => setTimeout(r, 300));
    expect(holds).toHaveLength(2);
    expect(
      budgets.answer(runId, 'stop', { tokens: null, costUsd: null, minutes: null }, 'ada'),
    ).toMatchObject({
      kind: 'stopped',
    });
    const refused = await stopped;
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('stopped at its budget by ada');
    expect(server.agentRequests).toHaveLength(3);
  });
});

describe('a run at its wall-time allowance', () => {
  const extra = (over: { tokens?: number; minutes?: number }) => ({
    tokens: over.tokens ?? null,
    costUsd: null,
    minutes: over.minutes ?? null,
  });

  function setUp() {
    let now = Date.parse('2026-12-05T10:00:00Z');
    const budgets = new RunBudgets(() => new Date(now));
    const holds: BudgetHold[] = [];
    budgets.attach({ held: async (hold) => void holds.push(hold), unanswered: async () => undefined });
    const clock = new RunClock(now + 45 * 60_000, () => now);
    budgets.open({
      runId,
      sandboxId: 'sbx',
      workItemId: 'item',
      clock,
      allowance: {
        tokens: null,
        costUsd: null,
        tokensFrom: null,
        costFrom: null,
        wallMs: 10 * 60_000,
        wallFrom: 'run limit of 10 minutes',
        answerTimeoutMs: 60 * 60_000,
      },
    });
    const gate = budgets.gate(runId);
    const request = () => {
      let decided: unknown = 'waiting';
      void gate().then((decision) => (decided = decision));
      return () => decided;
    };
    const settle = () => new Promise((r) => setImmediate(r));
    return { budgets, holds, clock, request, settle, pass: (ms: number) => (now += ms) };
  }

  it('holds the first model request once the run has worked its minutes, not counting the time held', async () => {
    const { budgets, holds, clock, request, settle, pass } = setUp();
    pass(9 * 60_000);
    const early = request();
    await settle();
    expect(early()).toEqual({ allowed: true });
    pass(60_000 + 5_000);
    const late = request();
    await settle();
    expect(late()).toBe('waiting');
    expect(holds).toEqual([
      expect.objectContaining({ reason: 'run limit of 10 minutes: 10 min 5 s of 10 min worked' }),
    ]);
    // Held: neither working time nor the deadline runs.
    expect(clock.deadlineAt).toBeNull();
    pass(50 * 60_000);
    expect(clock.activeMs).toBe(10 * 60_000 + 5_000);

    // Tokens are no answer to a time limit: the run is held again at once.
    expect(budgets.answer(runId, 'continue', extra({ tokens: 5_000 }), 'ada').kind).toBe('continued');
    expect(clock.deadlineAt).toBe(Date.parse('2026-12-05T10:45:00Z') + 50 * 60_000);
    budgets.resume(runId);
    await settle();
    expect(late()).toBe('waiting');
    expect(holds).toHaveLength(2);

    // Minutes are: the held request goes on, and the run has five more minutes of work.
    expect(budgets.answer(runId, 'continue', extra({ minutes: 5 }), 'ada', 'answer-2').kind).toBe(
      'continued',
    );
    budgets.resume(runId);
    await settle();
    expect(late()).toEqual({ allowed: true });
    pass(4 * 60_000);
    const within = request();
    await settle();
    expect(within()).toEqual({ allowed: true });
    budgets.close(runId);
  });

  it('takes one answer once: the same command delivered again is not applied to a later hold', async () => {
    const { budgets, request, settle, pass } = setUp();
    pass(11 * 60_000);
    request();
    await settle();
    expect(budgets.answer(runId, 'continue', extra({ tokens: 1 }), 'ada', 'answer-1').kind).toBe('continued');
    budgets.resume(runId);
    await settle();
    expect(budgets.answer(runId, 'continue', extra({ minutes: 5 }), 'ada', 'answer-1')).toEqual({
      kind: 'not_held',
      reason: `answer answer-1 was taken for an earlier hold of run ${runId}`,
    });
    expect(budgets.heldRun(runId)).not.toBeNull();
    budgets.close(runId);
  });
});
