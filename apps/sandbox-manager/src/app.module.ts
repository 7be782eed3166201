import { join } from 'node:path';
import { DynamicModule, Module } from '@nestjs/common';
import { DATABASE, DbModule, type Database } from '@horizon/db';
import { MessagingModule } from '@horizon/messaging';
import { LOGGER, ObservabilityModule, type Logger } from '@horizon/observability';
import { SandboxService } from './application/sandbox.service';
import type { SandboxManagerConfig } from './config';
import { GitRemote } from './host/git-remote';
import { egressCredentials, openSandboxRuntime, type SandboxRuntime } from './host/sandbox-runtime';
import { SandboxCommandsConsumer } from './messaging/sandbox-commands.consumer';
import { PrismaSandboxRepository } from './persistence/prisma-sandbox.repository';
import { SandboxLifecycle } from './sandbox-lifecycle';
import { SANDBOX_MANAGER_CONFIG, SANDBOX_RUNTIME } from './tokens';

/** Sandbox-manager: sandboxes, snapshots, the egress proxy and artifacts. */
@Module({})
export class SandboxManagerModule {
  static register(config: SandboxManagerConfig): DynamicModule {
    return {
      module: SandboxManagerModule,
      imports: [
        ObservabilityModule.forRoot('sandbox-manager', config.LOG_LEVEL),
        DbModule.forRoot({ databaseUrl: config.DATABASE_URL, relay: true }),
        MessagingModule.forRoot({
          natsUrl: config.NATS_URL,
          prefix: config.HZN_STREAM_PREFIX,
          name: 'sandbox-manager',
        }),
      ],
      providers: [
        { provide: SANDBOX_MANAGER_CONFIG, useValue: config },
        {
          provide: SANDBOX_RUNTIME,
          inject: [LOGGER],
          useFactory: async (logger: Logger): Promise<SandboxRuntime> => {
            const runtime = await openSandboxRuntime({
              stateDir: config.SANDBOX_STATE_DIR ?? join(config.HORIZON_DATA_DIR, 'sandbox'),
              hostName: config.SANDBOX_HOST_NAME,
              hostUid: config.SANDBOX_HOST_UID,
              remote: GitRemote.forge(config.SANDBOX_FORGE_URL, config.SANDBOX_FORGE_TOKEN),
              credentials: egressCredentials({
                forgeUrl: config.SANDBOX_FORGE_URL,
                forgeToken: config.SANDBOX_FORGE_TOKEN,
                modelBaseUrl: config.SANDBOX_MODEL_BASE_URL,
                modelApiKey: config.SANDBOX_MODEL_API_KEY,
              }),
              snapshotKeep: config.SNAPSHOT_KEEP,
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
          inject: [DATABASE, SANDBOX_RUNTIME],
          useFactory: (db: Database, runtime: SandboxRuntime) =>
            new SandboxService(new PrismaSandboxRepository(db), runtime.host, runtime.snapshots),
        },
        SandboxCommandsConsumer,
        SandboxLifecycle,
      ],
    };
  }
}
