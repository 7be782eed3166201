import { DynamicModule, Global, Module, OnModuleInit } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { LOGGER, Logger, ReadinessRegistry } from '@horizon/observability';
import { JetStreamConnection, MessagingOptions } from '../connection';
import { Publisher } from '../publisher';
import { RpcClient, RpcServer } from '../rpc';
import { MessagingHost } from './messaging.host';

class JetStreamReadiness implements OnModuleInit {
  constructor(
    private readonly connection: JetStreamConnection,
    private readonly readiness: ReadinessRegistry,
  ) {}
  onModuleInit() {
    this.readiness.register({ name: 'jetstream', check: () => this.connection.ping() });
  }
}

@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      imports: [DiscoveryModule],
      providers: [
        {
          provide: JetStreamConnection,
          inject: [LOGGER],
          useFactory: async (logger: Logger) => {
            const connection = await JetStreamConnection.connect(options, logger);
            await connection.provisionStreams();
            return connection;
          },
        },
        {
          provide: Publisher,
          inject: [JetStreamConnection],
          useFactory: (c: JetStreamConnection) => new Publisher(c),
        },
        {
          provide: RpcClient,
          inject: [JetStreamConnection],
          useFactory: (c: JetStreamConnection) => new RpcClient(c, options.name),
        },
        {
          provide: RpcServer,
          inject: [JetStreamConnection, LOGGER],
          useFactory: (c: JetStreamConnection, l: Logger) => new RpcServer(c, l),
        },
        {
          provide: JetStreamReadiness,
          inject: [JetStreamConnection, ReadinessRegistry],
          useFactory: (c: JetStreamConnection, r: ReadinessRegistry) => new JetStreamReadiness(c, r),
        },
        MessagingHost,
      ],
      exports: [JetStreamConnection, Publisher, RpcClient, RpcServer],
    };
  }
}
