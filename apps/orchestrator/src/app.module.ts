import { DynamicModule, Module } from '@nestjs/common';
import { DbModule } from '@horizon/db';
import { MessagingModule } from '@horizon/messaging';
import { ObservabilityModule } from '@horizon/observability';
import type { z } from 'zod';
import type { configShape } from './config';

type Config = z.infer<z.ZodObject<typeof configShape>>;

/** Orchestrator: work items, runs, dependencies, routing and audit. */
@Module({})
export class OrchestratorModule {
  static register(config: Config): DynamicModule {
    return {
      module: OrchestratorModule,
      imports: [
        ObservabilityModule.forRoot('orchestrator', config.LOG_LEVEL),
        DbModule.forRoot({ databaseUrl: config.DATABASE_URL, relay: true }),
        MessagingModule.forRoot({ natsUrl: config.NATS_URL, prefix: config.HZN_STREAM_PREFIX, name: 'orchestrator' }),
      ],
    };
  }
}
