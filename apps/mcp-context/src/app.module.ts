import { DynamicModule, Module } from '@nestjs/common';
import { DbModule } from '@horizon/db';
import { MessagingModule } from '@horizon/messaging';
import { ObservabilityModule } from '@horizon/observability';
import type { z } from 'zod';
import type { configShape } from './config';

type Config = z.infer<z.ZodObject<typeof configShape>>;

/** mcp-context: the agents' MCP toolbox, authorized per run. */
@Module({})
export class McpContextModule {
  static register(config: Config): DynamicModule {
    return {
      module: McpContextModule,
      imports: [
        ObservabilityModule.forRoot('mcp-context', config.LOG_LEVEL),
        DbModule.forRoot({ databaseUrl: config.DATABASE_URL, relay: false }),
        MessagingModule.forRoot({ natsUrl: config.NATS_URL, prefix: config.HZN_STREAM_PREFIX, name: 'mcp-context' }),
      ],
    };
  }
}
