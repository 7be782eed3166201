import { foundationModules } from '@horizon/runtime';
import { join } from 'node:path';
import { DynamicModule, Module } from '@nestjs/common';
import { prepareRunnerRuntime } from '@horizon/runner-launch';
import { DATABASE, type Database } from '@horizon/db';
import { RpcClient } from '@horizon/messaging';
import { loadRunTokenSecret, RunTokenMinter } from '@horizon/run-tokens';
import { LOGGER, METRICS, type Logger } from '@horizon/observability';
import type { Registry } from 'prom-client';
import { ModelUsageRecorder } from './application/model-usage';
import { SandboxService } from './application/sandbox.service';
import { modelProviderConfig, priceTable, type SandboxManagerConfig } from './config';
import { FileRunJournal } from './host/file-run-journal';
import { GitRemote } from './host/git-remote';
import { McpAccess, mcpEndpoint } from './host/mcp-access';
import { ModelUsageMetrics } from './host/model-usage-metrics';
import { IdentityOwnerDirectory } from './host/owner-directory';
import { BrokeredRunCredentials } from './host/run-credentials';
import { RunnerAgentLauncher } from './host/runner-agent-launcher';
import { egressCredentials, openSandboxRuntime, type SandboxRuntime } from './host/sandbox-runtime';
import { FollowUpConsumer } from './messaging/follow-up.consumer';
import { IntegrationStatusResponder } from './messaging/integration-status.responder';
import { SandboxCommandsConsumer } from './messaging/sandbox-commands.consumer';
import { PrismaSandboxRepository } from './persistence/prisma-sandbox.repository';
import { SandboxLifecycle } from './application/sandbox-lifecycle';
import { MCP_ACCESS, SANDBOX_MANAGER_CONFIG, SANDBOX_RUNTIME } from './tokens';

/** Sandbox-manager: sandboxes, snapshots, the egress proxy, agent runs and their artifacts. */
@Module({})
export class SandboxManagerModule {
  static register(config: SandboxManagerConfig): DynamicModule {
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
          inject: [LOGGER, RpcClient, DATABASE, METRICS],
          useFactory: async (
            logger: Logger,
            rpc: RpcClient,
            db: Database,
            metrics: Registry,
          ): Promise<SandboxRuntime> => {
            const runner = await prepareRunnerRuntime({ dataDir: config.HORIZON_DATA_DIR });
            const usage = new ModelUsageRecorder(
              new PrismaSandboxRepository(db),
              priceTable(config),
              new ModelUsageMetrics(metrics),
            );
            const runtime = await openSandboxRuntime({
              stateDir: config.SANDBOX_STATE_DIR ?? join(config.HORIZON_DATA_DIR, 'sandbox'),
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
          inject: [DATABASE, SANDBOX_RUNTIME, RpcClient, MCP_ACCESS, LOGGER],
          useFactory: (
            db: Database,
            runtime: SandboxRuntime,
            rpc: RpcClient,
            mcp: McpAccess | null,
            logger: Logger,
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
            });
            const sandboxes = new SandboxService(
              new PrismaSandboxRepository(db),
              runtime.host,
              runtime.snapshots,
              {
                agent: {
                  launcher,
                  journal: new FileRunJournal(runtime.artifactsDir),
                  onError: (err, run) => logger.error({ err, ...run }, 'agent run bookkeeping failed'),
                },
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
