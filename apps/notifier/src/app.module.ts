import { DynamicModule, Module } from '@nestjs/common';
import { DbModule } from '@horizon/db';
import { MessagingModule } from '@horizon/messaging';
import { ObservabilityModule } from '@horizon/observability';
import type { z } from 'zod';
import type { configShape } from './config';

type Config = z.infer<z.ZodObject<typeof configShape>>;

/** Notifier: delivers events to Slack, Linear, GitHub and the console. */
@Module({})
export class NotifierModule {
  static register(config: Config): DynamicModule {
    return {
      module: NotifierModule,
      imports: [
        ObservabilityModule.forRoot('notifier', config.LOG_LEVEL),
        DbModule.forRoot({ databaseUrl: config.DATABASE_URL, relay: true }),
        MessagingModule.forRoot({ natsUrl: config.NATS_URL, prefix: config.HZN_STREAM_PREFIX, name: 'notifier' }),
      ],
    };
  }
}
