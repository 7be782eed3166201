import { randomUUID } from 'node:crypto';
import type { AgentRunSpecInput, RunnerEvent, RunReport } from '@horizon/contracts';
import { ScriptedModelServer, type ModelScriptInput, git } from '@horizon/testing';
import { SandboxRuns } from './support/sandbox-runs';

// A run on the Anthropic provider: the bundled runner in a real bwrap sandbox, real OpenCode
// configured with @ai-sdk/anthropic, the scripted model server speaking the Messages API and
// accepting only the run's real key, which the egress proxy adds on the way out.
jest.setTimeout(90_000);

/**
 * Fixes the greeting and runs the tests, then looks for the provider key everywhere a
 * command of the agent can: every file outside the host's read-only binaries, and every
 * process's environment (OpenCode's included, with its configuration). The key is given in
 * two halves so that the command itself does not hold it.
 */
const script: ModelScriptInput = {
  title: 'Greet Horizon',
  usage: { input: 500, output: 50 },
  steps: [
    {
      name: 'fix and test',
      match: { lastRole: 'user', userContains: 'greeting', toolsInclude: ['bash'] },
      respond: {
        text: 'The greeting should name Horizon.',
        toolCalls: [
          {
            tool: 'bash',
            args: { command: `sed -i "s/'Hello'/'Hello, Horizon'/" greeting.js && node --test` },
          },
        ],
      },
    },
    {
      name: 'look for the key',
      match: { lastRole: 'tool', lastContains: '# pass 1' },
      respond: {
        toolCalls: [
          {
            tool: 'bash',
            args: {
              // OpenCode refuses commands naming paths outside the repository (its
              // external_directory rule): the root comes in a variable.
              command:
                'r=$(printf /); echo "files with it: $(grep -rslF "{{keyHead}}""{{keyTail}}" "$r" --exclude-dir=proc --exclude-dir=sys --exclude-dir=dev --exclude-dir=usr --exclude-dir=opt)"; ' +
                "cat \"$r\"proc/*/environ 2>/dev/null | tr '\\0' '\\n' | grep -e OPENCODE_CONFIG_CONTENT -e HORIZON_RUN_ID",
            },
          },
        ],
      },
    },
    {
      name: 'summarize',
      match: { lastRole: 'tool', lastContains: 'files with it:' },
      respond: { text: 'Greet Horizon by name\n\nThe greeting test expects the name of the product.' },
    },
  ],
};

describe('an agent run on the Anthropic provider (sandbox, egress proxy, real OpenCode, Messages API)', () => {
  const runs = new SandboxRuns();
  const { apiKey } = runs;
  const branch = `horizon/${randomUUID()}`;
  let server: ScriptedModelServer;
  let spec: AgentRunSpecInput;
  let result: { report: RunReport; events: RunnerEvent[] };

  beforeAll(async () => {
    await runs.start();
    const half = Math.floor(apiKey.length / 2);
    server = await ScriptedModelServer.start({
      script,
      vars: { keyHead: apiKey.slice(0, half), keyTail: apiKey.slice(half) },
      apiKey,
    });
    const handle = await runs.boot(branch, server.baseUrl, 'anthropic');
    const base = runs.specFor(handle, {});
    spec = { ...base, branch, model: { ...base.model, provider: 'anthropic', model: 'claude-scripted' } };
    result = await runs.run(handle, spec);
  });
  afterAll(async () => {
    await server?.close();
    await runs.close();
  });

  it('completes the scripted run: every step played, the checks passed, the branch pushed', () => {
    expect(server.failures).toEqual([]);
    expect(server.pendingSteps).toBe(0);
    expect(result.report).toMatchObject({ outcome: 'succeeded', reason: null, branch });
    expect(result.report.verification.map((v) => [v.command, v.exitCode])).toEqual([
      ['test -f greeting.js', 0],
      ['node --test', 0],
    ]);
    expect(git(runs.bare, 'show', `${result.report.commitSha}:greeting.js`)).toBe(
      "module.exports = () => 'Hello, Horizon';",
    );
    expect(git(runs.bare, 'log', '-1', '--format=%s', result.report.commitSha!)).toBe(
      'Greet Horizon by name',
    );
    const tools = result.events.filter((e) => e.kind === 'tool_use');
    expect(tools.map((e) => [e.detail!.tool, e.detail!.status])).toEqual([
      ['bash', 'completed'],
      ['bash', 'completed'],
    ]);
  });

  it('spoke the Messages API, with the real key as x-api-key added by the proxy and no other credential', () => {
    expect(server.agentRequests).toHaveLength(3);
    for (const request of server.requests) {
      expect(request).toMatchObject({ wire: 'anthropic', method: 'POST', path: '/v1/messages' });
      expect(request.headers['x-api-key']).toBe(apiKey);
      expect(request.headers.authorization).toBeUndefined();
      expect(request.headers['anthropic-version']).toBe('2023-06-01');
      expect(request.anthropicBody).toMatchObject({ model: 'claude-scripted', stream: true });
      expect(request.anthropicBody!.max_tokens).toBeGreaterThan(0);
    }
    // The tool results came back as tool_result blocks answering the scripted tool_use ids.
    const last = server.agentRequests[2]!.anthropicBody!.messages;
    expect(last.at(-1)!.content).toEqual([
      expect.objectContaining({ type: 'tool_result', tool_use_id: 'call_2_0' }),
    ]);
  });

  it('kept the key out of the sandbox: no file and no environment held it, the configuration a placeholder', () => {
    // What the search printed, as the model got it back in the tool_result.
    const output = server.agentRequests[2]!.body!.messages.at(-1)!.content as string;
    expect(output).toMatch(/^files with it: \n/);
    expect(output).toContain(`HORIZON_RUN_ID=${spec.runId}`);
    const config = /OPENCODE_CONFIG_CONTENT=(.*)/.exec(output)![1]!;
    expect(JSON.parse(config).provider.horizon).toMatchObject({
      npm: '@ai-sdk/anthropic',
      options: {
        baseURL: 'http://127.0.0.1:3128/_horizon/model',
        apiKey: 'horizon-egress-proxy-adds-the-key',
      },
    });
    expect(JSON.stringify(result)).not.toContain(apiKey);
    expect(JSON.stringify(server.requests.map((r) => r.anthropicBody))).not.toContain(apiKey);
  });
});
