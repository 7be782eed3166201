import type { DynamicModule } from '@nestjs/common';
import { DbModule, SERVICE_SCHEMAS, type ServiceWithSchema } from '@horizon/db';
import { MessagingModule } from '@horizon/messaging';
import { ObservabilityModule } from '@horizon/observability';

/** The part of every service's configuration the foundation modules read (`baseConfig`). */
export interface FoundationConfig {
  DATABASE_URL: string;
  NATS_URL: string;
  HZN_STREAM_PREFIX: string;
  HZN_STREAM_REPLICAS?: number;
  LOG_LEVEL: string;
}

/**
 * The modules every Horizon service imports: logs, metrics and health; Postgres (with the
 * outbox relay where the service writes events); the JetStream connection and consumers.
 */
export function foundationModules(
  service: ServiceWithSchema,
  config: FoundationConfig,
  options: { outboxRelay: boolean },
): DynamicModule[] {
  return [
    ObservabilityModule.forRoot(service, config.LOG_LEVEL),
    DbModule.forRoot({
      databaseUrl: config.DATABASE_URL,
      schema: SERVICE_SCHEMAS[service],
      relay: options.outboxRelay,
    }),
    MessagingModule.forRoot({
      natsUrl: config.NATS_URL,
      prefix: config.HZN_STREAM_PREFIX,
      name: service,
      replicas: config.HZN_STREAM_REPLICAS ?? 1,
    }),
  ];
}
