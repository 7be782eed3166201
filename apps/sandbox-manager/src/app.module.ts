import { foundationModules } from '@horizon/runtime';
import { join } from 'node:path';
import { DynamicModule, Module } from '@nestjs/common';
import { prepareRunnerRuntime } from '@horizon/runner-launch';
import { DATABASE, type Database } from '@horizon/db';
import { ArtifactStore, JetStreamConnection, RpcClient } from '@horizon/messaging';
import { loadRunTokenSecret, RunTokenMinter } from '@horizon/run-tokens';
import { LOGGER, METRICS, type Logger } from '@horizon/observability';
import type { Registry } from 'prom-client';
import { ModelUsageRecorder } from './application/model-usage';
import { RunBudgets } from './application/run-budgets';
import { SandboxService } from './application/sandbox.service';
import { modelProviderConfig, priceTable, type SandboxManagerConfig } from './config';
import { FileRunJournal } from './host/file-run-journal';
import { GitRemote } from './host/git-remote';
import { McpAccess, mcpEndpoint } from './host/mcp-access';
import { ModelUsageMetrics } from './host/model-usage-metrics';
import { IdentityOwnerDirectory } from './host/owner-directory';
import { checkLogReaders } from './host/check-log-readers';
import { CheckLogsLauncher } from './host/check-logs';
import { BrokeredRunCredentials } from './host/run-credentials';
import { browserChecksOn } from './host/browser/availability';
import { SandboxBrowserVerifier } from './host/browser/verifier';
import { RunnerAgentLauncher } from './host/runner-agent-launcher';
import { egressCredentials, openSandboxRuntime, type SandboxRuntime } from './host/sandbox-runtime';
import { FollowUpConsumer } from './messaging/follow-up.consumer';
import { IntegrationStatusResponder } from './messaging/integration-status.responder';
import { SandboxCommandsConsumer } from './messaging/sandbox-commands.consumer';
import { PrismaSandboxRepository } from './persistence/prisma-sandbox.repository';
import { SandboxLifecycle } from './application/sandbox-lifecycle';
import { MCP_ACCESS, SANDBOX_MANAGER_CONFIG, SANDBOX_RUNTIME } from './tokens';

/** The runs' model allowances: counted by the usage recorder, gating the proxies, answered by commands. */
const RUN_BUDGETS = Symbol('RUN_BUDGETS');

/** Sandbox-manager: sandboxes, snapshots, the egress proxy, agent runs and their artifacts. */
@Module({})
export class SandboxManagerModule {
  static register(config: SandboxManagerConfig): DynamicModule {
    const stateDir = config.SANDBOX_STATE_DIR ?? join(config.HORIZON_DATA_DIR, 'sandbox');
    const staticCredentials = egressCredentials({
      forgeUrl: config.SANDBOX_FORGE_URL,
      forgeToken: config.SANDBOX_FORGE_TOKEN,
      model: modelProviderConfig(config),
      ...(config.MCP_CONTEXT_URL ? { mcpUrl: mcpEndpoint(config.MCP_CONTEXT_URL) } : {}),
    });
    return {
      module: SandboxManagerModule,
      imports: [...foundationModules('sandbox-manager', config, { outboxRelay: true })],
      providers: [
        { provide: SANDBOX_MANAGER_CONFIG, useValue: config },
        { provide: RUN_BUDGETS, useValue: new RunBudgets() },
        {
          provide: MCP_ACCESS,
          useFactory: (): McpAccess | null =>
            config.MCP_CONTEXT_URL
              ? new McpAccess(
                  new RunTokenMinter(
                    loadRunTokenSecret({ secret: config.MCP_TOKEN_SECRET, dataDir: config.HORIZON_DATA_DIR }),
                  ),
                )
              : null,
        },
        {
          provide: SANDBOX_RUNTIME,
          inject: [LOGGER, RpcClient, DATABASE, METRICS, RUN_BUDGETS],
          useFactory: async (
            logger: Logger,
            rpc: RpcClient,
            db: Database,
            metrics: Registry,
            budgets: RunBudgets,
          ): Promise<SandboxRuntime> => {
            const runner = await prepareRunnerRuntime({
              dataDir: config.HORIZON_DATA_DIR,
              ...(config.SANDBOX_RUNNER_BUNDLE ? { prebuiltBundle: config.SANDBOX_RUNNER_BUNDLE } : {}),
            });
            const usageMetrics = new ModelUsageMetrics(metrics);
            const usage = new ModelUsageRecorder(new PrismaSandboxRepository(db), priceTable(config), {
              counted: (counted, costUsd) => {
                usageMetrics.counted(counted, costUsd);
                budgets.counted(counted, costUsd);
              },
            });
            const runtime = await openSandboxRuntime({
              stateDir,
              hostName: config.SANDBOX_HOST_NAME,
              hostUid: config.SANDBOX_HOST_UID,
              remote: GitRemote.forge(config.SANDBOX_FORGE_URL, config.SANDBOX_FORGE_TOKEN),
              credentials: staticCredentials,
              ...(config.GITHUB_APP_ID
                ? {
                    runCredentials: new BrokeredRunCredentials(rpc, {
                      forgeUrl: config.SANDBOX_FORGE_URL,
                      ...(staticCredentials.model ? { model: staticCredentials.model } : {}),
                      ...(staticCredentials.mcp ? { mcp: staticCredentials.mcp } : {}),
                      onRevokeError: (err, runId) =>
                        logger.warn({ err, runId }, 'run token not revoked; it expires within the hour'),
                    }),
                  }
                : {}),
              snapshotKeep: config.SNAPSHOT_KEEP,
              readOnlyBinds: runner.readOnlyBinds,
              modelGate: (runId) => budgets.gate(runId),
              onModelUsage: (counted) =>
                void usage
                  .record(counted)
                  .catch((err: Error) =>
                    logger.error(
                      { err, runId: counted.runId },
                      'model usage not recorded: this request goes uncounted',
                    ),
                  ),
            });
            if (runtime.refusal)
              logger.error(
                { primitive: runtime.refusal.primitive },
                `sandboxes refused: ${runtime.refusal.message}`,
              );
            return runtime;
          },
        },
        {
          provide: SandboxService,
          inject: [
            DATABASE,
            SANDBOX_RUNTIME,
            RpcClient,
            MCP_ACCESS,
            LOGGER,
            RUN_BUDGETS,
            JetStreamConnection,
          ],
          useFactory: (
            db: Database,
            runtime: SandboxRuntime,
            rpc: RpcClient,
            mcp: McpAccess | null,
            logger: Logger,
            budgets: RunBudgets,
            nats: JetStreamConnection,
          ) => {
            const remote = GitRemote.forge(config.SANDBOX_FORGE_URL, config.SANDBOX_FORGE_TOKEN);
            const launcher = new RunnerAgentLauncher({
              // On a refusing host nothing boots, so nothing is ever launched.
              driver: runtime.driver!,
              remote,
              artifactsDir: runtime.artifactsDir,
              agent: { name: config.AGENT_NAME, email: config.AGENT_EMAIL },
              models: {
                provider: config.SANDBOX_MODEL_PROVIDER,
                model: config.RUN_MODEL,
                ...(config.RUN_SMALL_MODEL ? { smallModel: config.RUN_SMALL_MODEL } : {}),
              },
              modelConfigured: staticCredentials.model !== undefined,
              owners: new IdentityOwnerDirectory(rpc),
              mcp,
              graceMs: config.RUN_GRACE_MS,
              slowSetup: { snapshotMs: config.SLOW_SNAPSHOT_BUILD_MS, bootMs: config.SLOW_SANDBOX_BOOT_MS },
              browser: browserChecksOn(config.BROWSER_CHECKS, logger, runtime.driver !== null)
                ? new SandboxBrowserVerifier({
                    driver: runtime.driver!,
                    runtimeDir: join(stateDir, 'browser'),
                    store: new ArtifactStore(nats),
                    resources: {
                      memoryMiB: config.BROWSER_CHECK_MEMORY_MIB,
                      cpuMillis: 1000,
                      maxProcesses: 512,
                    },
                    logger,
                  })
                : null,
            });
            const sandboxes = new SandboxService(
              new PrismaSandboxRepository(db),
              runtime.host,
              runtime.snapshots,
              {
                agent: {
                  launcher: new CheckLogsLauncher(launcher, checkLogReaders(config, rpc)),
                  journal: new FileRunJournal(runtime.artifactsDir),
                  onError: (err, run) => logger.error({ err, ...run }, 'agent run bookkeeping failed'),
                  budgets,
                },
                onBudgetError: (err, hold) =>
                  logger.error(
                    { err, runId: hold.runId, sandboxId: hold.sandboxId },
                    'a run held at its budget could not be paused, thawed or stopped',
                  ),
              },
            );
            runtime.snapshots.onBuiltOnDemand((built) =>
              sandboxes
                .announceBuilt(built)
                .catch((err: Error) =>
                  logger.error({ err, repo: built.repo }, 'snapshot_built not announced'),
                ),
            );
            return sandboxes;
          },
        },
        SandboxCommandsConsumer,
        FollowUpConsumer,
        IntegrationStatusResponder,
        SandboxLifecycle,
      ],
    };
  }
}
