import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { parseConfig } from '@horizon/config';
import { CodexHarness, type HarnessEvent, type HarnessResult } from '@horizon/agent-runner';
import { McpContextModule, mcpContextConfigShape as configShape } from '@horizon/mcp-context';
import { RunTokenIssuer, scopesForFlavour } from '@horizon/run-tokens';
import { METRICS } from '@horizon/observability';
import { startService } from '@horizon/runtime';
import {
  ScriptedModelServer,
  createTestDatabase,
  createTestMessaging,
  freePort,
  git,
  type TestDatabase,
  type TestMessaging,
} from '@horizon/testing';

// mcp-context as Codex meets it: the real service, the real codex binary configured with it
// as a streamable-HTTP MCP server (the run's token in config.toml's headers), the scripted
// model on the Responses API calling one of its tools.
jest.setTimeout(90_000);

const SECRET = `codex-mcp-test-secret-${randomUUID()}`;
const marker = `Use tabs, say ${randomUUID()}`;

describe('Codex uses mcp-context with the run’s token', () => {
  const root = mkdtempSync(join(tmpdir(), 'hzn-codex-mcp-'));
  const runId = randomUUID();
  let db: TestDatabase;
  let messaging: TestMessaging;
  let mcpContext: INestApplication;
  let server: ScriptedModelServer;
  let events: HarnessEvent[];
  let result: HarnessResult;

  beforeAll(async () => {
    let port: number;
    [db, messaging, port] = await Promise.all([createTestDatabase(), createTestMessaging(), freePort()]);
    const config = parseConfig(configShape, {
      DATABASE_URL: db.url,
      NATS_URL: messaging.natsUrl,
      HZN_STREAM_PREFIX: messaging.prefix,
      LOG_LEVEL: 'silent',
      HORIZON_DATA_DIR: join(root, 'data'),
      MCP_CONTEXT_PORT: String(port),
      MCP_TOKEN_SECRET: SECRET,
    });
    mcpContext = await startService({ name: 'mcp-context', module: McpContextModule.register(config), port });
    const repo = join(root, 'repo');
    git(root, 'init', '--quiet', '--initial-branch=main', repo);
    writeFileSync(join(repo, 'AGENTS.md'), `# Conventions\n\n${marker}.\n`);

    server = await ScriptedModelServer.start({ script: 'codex-mcp-conventions.yaml', vars: { marker } });
    const { token } = mcpContext.get(RunTokenIssuer).mint({
      runId,
      scopes: scopesForFlavour('implement'),
      expiresAt: new Date(Date.now() + 60_000),
      repo: 'acme/app',
      workspace: repo,
    });
    const run = new CodexHarness({ killGraceMs: 1000 }).start({
      prompt: 'Read the conventions of this repository.',
      workdir: repo,
      model: { baseUrl: server.baseUrl, model: 'scripted' },
      mcp: { url: `http://127.0.0.1:${port}/mcp`, token },
      deadlineMs: 60_000,
      context: { runId, stateDir: join(root, 'state') },
    });
    events = [];
    for await (const event of run.events) events.push(event);
    result = await run.result;
  });

  afterAll(async () => {
    await server?.close();
    await mcpContext?.close();
    await Promise.all([db?.drop(), messaging?.cleanup()]);
    rmSync(root, { recursive: true, force: true });
  });

  it('plays the whole script and completes', () => {
    expect(server.failures).toEqual([]);
    expect(server.pendingSteps).toBe(0);
    expect(result).toMatchObject({ exit: 'completed' });
  });

  it("offers the model mcp-context's tools in the horizon server's namespace", () => {
    const tools = server.agentRequests[0]!.body!.tools!.map((t) => t.function.name);
    expect(tools).toContain('exec_command');
    expect(tools).toEqual(
      expect.arrayContaining(['mcp__horizon__repo_conventions', 'mcp__horizon__runs_search']),
    );
  });

  it('reports the MCP call, answered with the AGENTS.md of the workspace', () => {
    const calls = events.filter((e) => e.type === 'tool_use');
    expect(calls.map((e) => e.type === 'tool_use' && [e.tool, e.status])).toEqual([
      ['horizon_repo_conventions', 'completed'],
    ]);
    expect(calls[0]!.type === 'tool_use' && calls[0]!.output).toContain(marker);
  });

  it('was authorized by mcp-context with the run’s token on every request', async () => {
    const metrics = await mcpContext.get<Registry>(METRICS).getSingleMetric('hzn_mcp_requests_total')!.get();
    const byOutcome = Object.fromEntries(metrics.values.map((v) => [v.labels.outcome, v.value]));
    expect(byOutcome.answered).toBeGreaterThan(0);
    expect(Object.keys(byOutcome)).toEqual(['answered']);
  });
});
