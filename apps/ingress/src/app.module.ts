import { foundationModules } from '@horizon/runtime';
import { DynamicModule, Module } from '@nestjs/common';
import { DATABASE } from '@horizon/db';
import type { Database } from '@horizon/db';
import { JetStreamConnection, Publisher } from '@horizon/messaging';
import { ApiTokenGuard } from './api/api-token.guard';
import { ApiTokenStore } from './api/api-tokens';
import { OpenApiController, WorkItemsController } from './api/work-items.controller';
import { WorkItemReader } from './api/work-items.reader';
import type { IngressConfig } from './config';
import { INGRESS_CONFIG } from './tokens';
import { JetStreamEnvelopePublisher } from './webhooks/jetstream-publisher';
import { WebhookRoutes } from './webhooks/webhook-routes';

/** Ingress: verifies, normalizes and makes durable every outside signal. */
@Module({})
export class IngressModule {
  static register(config: IngressConfig): DynamicModule {
    return {
      module: IngressModule,
      imports: [...foundationModules('ingress', config, { outboxRelay: false })],
      controllers: [OpenApiController, WorkItemsController],
      providers: [
        { provide: INGRESS_CONFIG, useValue: config },
        {
          provide: JetStreamEnvelopePublisher,
          inject: [Publisher, JetStreamConnection],
          useFactory: (p: Publisher, c: JetStreamConnection) =>
            new JetStreamEnvelopePublisher(p, c, config.INGRESS_PUBLISH_TIMEOUT_MS),
        },
        {
          provide: ApiTokenStore,
          inject: [DATABASE],
          useFactory: (db: Database) => new ApiTokenStore(db.prisma),
        },
        {
          provide: WorkItemReader,
          inject: [DATABASE],
          useFactory: (db: Database) => new WorkItemReader(db.prisma),
        },
        ApiTokenGuard,
        WebhookRoutes,
      ],
    };
  }
}
