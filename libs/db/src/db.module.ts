import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { Publisher } from '@horizon/messaging';
import { LOGGER, ReadinessRegistry } from '@horizon/observability';
import type { Logger } from '@horizon/observability';
import { createDatabase } from './client';
import type { Database } from './client';
import { OutboxRelay } from './outbox-relay';
import type { ServiceSchema } from './service-schemas';

export const DATABASE = Symbol('hzn:database');

@Injectable()
class DatabaseLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly readiness: ReadinessRegistry,
  ) {}
  onModuleInit() {
    this.readiness.register({
      name: 'postgres',
      check: async () => {
        await this.db.pool.query('SELECT 1');
      },
    });
  }
  async onApplicationShutdown() {
    await this.db.close();
  }
}

@Injectable()
export class OutboxRelayService implements OnModuleInit, OnApplicationShutdown {
  private readonly relay: OutboxRelay;
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    publisher: Publisher,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.relay = new OutboxRelay(db.pool, publisher, logger.child({ component: 'outbox-relay' }));
  }
  async onModuleInit() {
    if (!this.db.schema) throw new Error('the outbox relay needs the service schema (DbModule.forRoot)');
    await this.relay.start(this.db.url, this.db.schema);
  }
  async onApplicationShutdown() {
    await this.relay.stop();
  }
}

@Global()
@Module({})
export class DbModule {
  /**
   * `schema`: the service's own (its connections' search_path); `relay: true` in services
   * that write to their outbox.
   */
  static forRoot(options: { databaseUrl: string; schema: ServiceSchema; relay?: boolean }): DynamicModule {
    return {
      module: DbModule,
      providers: [
        {
          provide: DATABASE,
          useFactory: () => createDatabase(options.databaseUrl, 10, options.schema),
        },
        DatabaseLifecycle,
        ...(options.relay ? [OutboxRelayService] : []),
      ],
      exports: [DATABASE],
    };
  }
}
