import { foundationModules } from '@horizon/runtime';
import { DynamicModule, Module } from '@nestjs/common';
import { DATABASE } from '@horizon/db';
import type { Database } from '@horizon/db';
import { JetStreamConnection, Publisher, RpcClient } from '@horizon/messaging';
import { ApiTokenGuard } from './http/api-token.guard';
import { OpenApiController, WorkItemsController } from './http/work-items.controller';
import { SchedulesController } from './http/schedules.controller';
import { FleetsController } from './http/fleets.controller';
import { UsageController } from './http/usage.controller';
import { FrictionController } from './http/friction.controller';
import { RetrosController } from './http/retros.controller';
import { TrendsController } from './http/trends.controller';
import { ScheduleClient } from './messaging/schedules.client';
import { ApiTokens } from './application/api-tokens';
import type { IngressConfig } from './config';
import { IngressAdminResponder } from './messaging/admin.responder';
import { WorkItemReader } from './messaging/work-items.reader';
import { ApiTokenRepository } from './persistence/api-token.repository';
import { InboxDeliveryRepository } from './persistence/inbox-delivery.repository';
import { INGRESS_CONFIG } from './tokens';
import { JetStreamEnvelopePublisher } from './messaging/jetstream-publisher';
import { WebhookRoutes } from './http/webhook-routes';
import { TriggersController } from './http/triggers.controller';
import { WebhookTriggers } from './application/webhook-triggers';
import { WebhookTriggerRepository } from './persistence/webhook-trigger.repository';
import { loadKeyring } from '@horizon/keyring';
import { LOGGER } from '@horizon/observability';
import type { Logger } from '@horizon/observability';

/** Ingress: verifies, normalizes and makes durable every outside signal. */
@Module({})
export class IngressModule {
  static register(config: IngressConfig): DynamicModule {
    return {
      module: IngressModule,
      imports: [...foundationModules('ingress', config, { outboxRelay: false })],
      controllers: [
        OpenApiController,
        WorkItemsController,
        TriggersController,
        SchedulesController,
        FleetsController,
        UsageController,
        FrictionController,
        RetrosController,
        TrendsController,
      ],
      providers: [
        { provide: INGRESS_CONFIG, useValue: config },
        {
          provide: JetStreamEnvelopePublisher,
          inject: [Publisher, JetStreamConnection],
          useFactory: (p: Publisher, c: JetStreamConnection) =>
            new JetStreamEnvelopePublisher(p, c, config.INGRESS_PUBLISH_TIMEOUT_MS),
        },
        {
          provide: ApiTokens,
          inject: [DATABASE],
          useFactory: (db: Database) => new ApiTokens(new ApiTokenRepository(db.prisma)),
        },
        {
          provide: InboxDeliveryRepository,
          inject: [DATABASE],
          useFactory: (db: Database) => new InboxDeliveryRepository(db.prisma),
        },
        {
          provide: WebhookTriggers,
          inject: [DATABASE, LOGGER],
          useFactory: (db: Database, logger: Logger) =>
            new WebhookTriggers(
              new WebhookTriggerRepository(db.prisma),
              loadKeyring(config, (message) => logger.warn(message)),
              config.INGRESS_TRIGGER_TOLERANCE_SECONDS,
              logger,
            ),
        },
        {
          provide: WorkItemReader,
          inject: [RpcClient],
          useFactory: (rpc: RpcClient) => new WorkItemReader(rpc),
        },
        {
          provide: ScheduleClient,
          inject: [RpcClient],
          useFactory: (rpc: RpcClient) => new ScheduleClient(rpc),
        },
        IngressAdminResponder,
        ApiTokenGuard,
        WebhookRoutes,
      ],
    };
  }
}
