import { DynamicModule, Module } from '@nestjs/common';
import { DbModule } from '@horizon/db';
import { MessagingModule } from '@horizon/messaging';
import { ObservabilityModule } from '@horizon/observability';
import type { z } from 'zod';
import type { configShape } from './config';

type Config = z.infer<z.ZodObject<typeof configShape>>;

/** Identity-broker: identities, links and encrypted credentials; short-lived tokens. */
@Module({})
export class IdentityBrokerModule {
  static register(config: Config): DynamicModule {
    return {
      module: IdentityBrokerModule,
      imports: [
        ObservabilityModule.forRoot('identity-broker', config.LOG_LEVEL),
        DbModule.forRoot({ databaseUrl: config.DATABASE_URL, relay: false }),
        MessagingModule.forRoot({ natsUrl: config.NATS_URL, prefix: config.HZN_STREAM_PREFIX, name: 'identity-broker' }),
      ],
    };
  }
}
