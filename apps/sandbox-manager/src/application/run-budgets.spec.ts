import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelProvider } from '@horizon/contracts';
import { EgressProxy, defaultFlavourPolicies } from '@horizon/sandbox';
import { ScriptedModelServer } from '@horizon/testing';
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

    expect(budgets.answer(runId, 'continue', { tokens: 500, costUsd: null }, 'ada').kind).toBe('continued');
    budgets.resume(runId);
    expect((await held).status).toBe(200);
    await settle();
    // 1,500 of 1,400: held again, and this time stopped.
    const stopped = post();
    await new Promise((r) => setTimeout(r, 300));
    expect(holds).toHaveLength(2);
    expect(budgets.answer(runId, 'stop', { tokens: null, costUsd: null }, 'ada')).toMatchObject({
      kind: 'stopped',
    });
    const refused = await stopped;
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('stopped at its budget by ada');
    expect(server.agentRequests).toHaveLength(3);
  });
});
