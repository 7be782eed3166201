import { foundationModules } from '@horizon/runtime';
import { DynamicModule, Module } from '@nestjs/common';
import { DATABASE } from '@horizon/db';
import type { Database } from '@horizon/db';
import { RpcClient } from '@horizon/messaging';
import { PgRevocationStore } from './persistence/pg-revocation-store';
import { RunRevocationConsumer } from './messaging/run-revocation.consumer';
import { loadRunTokenSecret, RunTokenIssuer } from '@horizon/run-tokens';
import type { McpContextConfig } from './config';
import { McpRoutes } from './http/mcp-routes';
import { configuredSources } from './sources/configured-sources';
import { MCP_CONFIG, SOURCES } from './tokens';

/** mcp-context: the agents' MCP toolbox, authorized per run. */
@Module({})
export class McpContextModule {
  static register(config: McpContextConfig): DynamicModule {
    return {
      module: McpContextModule,
      imports: [...foundationModules('mcp-context', config, { outboxRelay: false })],
      providers: [
        { provide: MCP_CONFIG, useValue: config },
        {
          provide: RunTokenIssuer,
          inject: [DATABASE],
          useFactory: (db: Database) =>
            new RunTokenIssuer(
              loadRunTokenSecret({ secret: config.MCP_TOKEN_SECRET, dataDir: config.HORIZON_DATA_DIR }),
              new PgRevocationStore(db.pool),
            ),
        },
        {
          provide: SOURCES,
          inject: [RpcClient],
          useFactory: (rpc: RpcClient) => configuredSources(config, rpc),
        },
        McpRoutes,
        RunRevocationConsumer,
      ],
    };
  }
}
