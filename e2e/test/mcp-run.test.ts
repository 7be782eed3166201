import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { Registry } from 'prom-client';
import type { RunnerEvent, RunReport } from '@horizon/contracts';
import { parseConfig } from '@horizon/config';
import { McpContextModule, mcpContextConfigShape as configShape } from '@horizon/mcp-context';
import { RunTokenIssuer, scopesForFlavour } from '@horizon/run-tokens';
import { METRICS } from '@horizon/observability';
import { startService } from '@horizon/runtime';
import {
  LocalSandboxDriver,
  SnapshotStore,
  checkoutRunBranch,
  defaultFlavourPolicies,
  type SandboxHandle,
} from '@horizon/sandbox';
import {
  ScriptedModelServer,
  freePort,
  createTestDatabase,
  createTestMessaging,
  type TestDatabase,
  type TestMessaging,
  git,
} from '@horizon/testing';
import { launchAgentRun, prepareRunnerRuntime } from '@horizon/runner-launch';

// mcp-context as the agent meets it: OpenCode in a real bwrap sandbox reaches the real
// service only through the egress proxy's `/_horizon/mcp` route, with the run's own token.
jest.setTimeout(90_000);

const SECRET = `mcp-run-test-secret-${randomUUID()}`;
const sandboxUid = 100_000;
const resources = { memoryMiB: 1024, cpuMillis: 2000, maxProcesses: 256 };
const marker = `Use tabs, say ${randomUUID()}`;

describe('OpenCode in a sandbox uses mcp-context through the egress proxy', () => {
  const root = mkdtempSync(join(tmpdir(), 'hzn-mcp-run-'));
  let db: TestDatabase;
  let messaging: TestMessaging;
  let mcpContext: INestApplication;
  let driver: LocalSandboxDriver;
  let handle: SandboxHandle;
  let server: ScriptedModelServer;
  let report: RunReport;
  const events: RunnerEvent[] = [];
  const runId = randomUUID();

  beforeAll(async () => {
    // The sandbox's uid must traverse to its folders under the driver's state.
    chmodSync(root, 0o711);
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
    mcpContext = await startService({
      name: 'mcp-context',
      module: McpContextModule.register(config),
      port,
    });

    const origin = join(root, 'origin');
    mkdirSync(origin);
    git(origin, 'init', '--quiet', '--initial-branch=main');
    writeFileSync(join(origin, 'AGENTS.md'), `# Conventions\n\n${marker}.\n`);
    git(origin, 'add', '-A');
    git(origin, 'commit', '--quiet', '-m', 'conventions');
    const bare = join(root, 'forge/acme/app.git');
    git(root, 'clone', '--quiet', '--bare', origin, bare);

    const runtime = await prepareRunnerRuntime({ dataDir: join(root, 'runner-data') });
    driver = await LocalSandboxDriver.open({
      stateDir: join(root, 'state'),
      readOnlyBinds: runtime.readOnlyBinds,
    });
    const snapshot = await new SnapshotStore({
      rootDir: join(root, 'snapshots'),
      driver,
      sandboxUid,
      sandboxGid: sandboxUid,
      setupResources: resources,
      setupEgress: () => null,
    }).build({
      repo: 'acme/app',
      source: bare,
      commit: git(bare, 'rev-parse', 'main'),
      flavour: 'plan',
      remoteInside: 'http://127.0.0.1:3128/_horizon/git/acme/app.git',
    });

    server = await ScriptedModelServer.start({ script: 'mcp-conventions.yaml', vars: { marker } });
    mkdirSync(join(root, 'artifacts'));
    handle = await driver.create({
      id: `mcp-${randomUUID()}`,
      flavour: 'plan',
      snapshotDir: snapshot.dir,
      resources,
      env: {},
      egress: {
        policy: defaultFlavourPolicies.plan,
        run: { repo: { owner: 'acme', name: 'app' }, branch: 'none' },
        credentials: {
          model: { baseUrl: server.baseUrl, apiKey: 'sk-unused' },
          mcp: { url: `http://127.0.0.1:${port}/mcp` },
        },
        logFile: join(root, 'artifacts/egress.jsonl'),
      },
    });
    await checkoutRunBranch(driver, handle, {
      snapshotCommit: snapshot.commit,
      baseRef: snapshot.commit,
      branch: 'none',
    });

    const deadlineAt = new Date(Date.now() + 60_000);
    const { token } = mcpContext.get(RunTokenIssuer).mint({
      runId,
      scopes: scopesForFlavour('implement'),
      expiresAt: deadlineAt,
      repo: 'acme/app',
      workspace: handle.workspaceHostPath,
    });
    report = await launchAgentRun(
      driver,
      handle,
      {
        runId,
        workItemId: randomUUID(),
        kind: 'plan',
        prompt: 'Read the conventions of this repository.',
        repo: 'acme/app',
        branch: 'none',
        baseRef: 'main',
        verify: [],
        agent: { name: 'Horizon Agent', email: 'agent@horizon.invalid' },
        owner: null,
        model: { baseUrl: `${handle.proxyUrl}/_horizon/model`, model: 'scripted' },
        mcp: { url: `${handle.proxyUrl}/_horizon/mcp`, token },
        deadlineAt: deadlineAt.toISOString(),
      },
      { onEvent: (e) => events.push(e) },
    );
  });

  afterAll(async () => {
    if (handle) await driver.destroy(handle);
    await server?.close();
    await mcpContext?.close();
    await Promise.all([db?.drop(), messaging?.cleanup()]);
    rmSync(root, { recursive: true, force: true });
  });

  it('plays the whole script and succeeds', () => {
    expect(server.failures).toEqual([]);
    expect(server.pendingSteps).toBe(0);
    expect(report).toMatchObject({ outcome: 'succeeded', summary: 'Read the conventions.' });
  });

  it("offers the agent mcp-context's tools next to OpenCode's own", () => {
    const tools = server.agentRequests[0]!.body!.tools!.map((t) => t.function.name);
    expect(tools).toEqual(expect.arrayContaining(['bash', 'read']));
    // Forge and chat tools are offered only when mcp-context has GitHub and Slack configured.
    expect(tools.filter((name) => name.startsWith('horizon_')).sort()).toEqual([
      'horizon_errors_search',
      'horizon_logs_search',
      'horizon_repo_conventions',
      'horizon_runs_friction',
      'horizon_runs_search',
      'horizon_tracker_get_issue',
      'horizon_tracker_get_project',
      'horizon_tracker_list_comments',
      'horizon_tracker_related_issues',
    ]);
  });

  it('records the MCP tool call, answered with the AGENTS.md of the workspace', () => {
    const calls = events.filter((e) => e.kind === 'tool_use');
    expect(calls.map((e) => [e.detail!.tool, e.detail!.status])).toEqual([
      ['horizon_repo_conventions', 'completed'],
    ]);
    expect(String(calls[0]!.detail!.output)).toContain(marker);
  });

  it("was authorized by mcp-context with the run's token, through the proxy's mcp route", async () => {
    const metrics = await mcpContext.get<Registry>(METRICS).getSingleMetric('hzn_mcp_requests_total')!.get();
    const byOutcome = Object.fromEntries(metrics.values.map((v) => [v.labels.outcome, v.value]));
    expect(byOutcome.answered).toBeGreaterThan(0);
    expect(Object.keys(byOutcome)).toEqual(['answered']);
    const egress = readFileSync(join(root, 'artifacts/egress.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { kind: string; method: string; status: number });
    const mcpCalls = egress.filter((entry) => entry.kind === 'mcp');
    expect(mcpCalls.length).toBeGreaterThan(0);
    // 200 for calls, 202 for notifications; a refused token would show as 401 or 403.
    expect(mcpCalls.filter((entry) => entry.method === 'POST').map((entry) => entry.status)).toEqual(
      expect.arrayContaining([200]),
    );
    expect(mcpCalls.filter((entry) => entry.method === 'POST' && entry.status >= 300)).toEqual([]);
  });
});
