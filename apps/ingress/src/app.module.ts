import { DynamicModule, Module } from '@nestjs/common';
import { DbModule } from '@horizon/db';
import { MessagingModule } from '@horizon/messaging';
import { ObservabilityModule } from '@horizon/observability';
import type { z } from 'zod';
import type { configShape } from './config';

type Config = z.infer<z.ZodObject<typeof configShape>>;

/** Ingress: verifies, normalizes and makes durable every outside signal. */
@Module({})
export class IngressModule {
  static register(config: Config): DynamicModule {
    return {
      module: IngressModule,
      imports: [
        ObservabilityModule.forRoot('ingress', config.LOG_LEVEL),
        DbModule.forRoot({ databaseUrl: config.DATABASE_URL, relay: false }),
        MessagingModule.forRoot({ natsUrl: config.NATS_URL, prefix: config.HZN_STREAM_PREFIX, name: 'ingress' }),
      ],
    };
  }
}
