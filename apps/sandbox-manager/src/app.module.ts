import { DynamicModule, Module } from '@nestjs/common';
import { DbModule } from '@horizon/db';
import { MessagingModule } from '@horizon/messaging';
import { ObservabilityModule } from '@horizon/observability';
import type { z } from 'zod';
import type { configShape } from './config';

type Config = z.infer<z.ZodObject<typeof configShape>>;

/** Sandbox-manager: sandboxes, snapshots, the egress proxy and artifacts. */
@Module({})
export class SandboxManagerModule {
  static register(config: Config): DynamicModule {
    return {
      module: SandboxManagerModule,
      imports: [
        ObservabilityModule.forRoot('sandbox-manager', config.LOG_LEVEL),
        DbModule.forRoot({ databaseUrl: config.DATABASE_URL, relay: true }),
        MessagingModule.forRoot({ natsUrl: config.NATS_URL, prefix: config.HZN_STREAM_PREFIX, name: 'sandbox-manager' }),
      ],
    };
  }
}
