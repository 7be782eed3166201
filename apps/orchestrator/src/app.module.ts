import { DynamicModule, Module } from '@nestjs/common';
import { DbModule } from '@horizon/db';
import { MessagingModule } from '@horizon/messaging';
import { ObservabilityModule } from '@horizon/observability';
import { DecisionExecutor } from './application/decision-executor';
import { OrchestratorMetrics } from './application/metrics';
import { RoutingContextBuilder } from './application/routing-context.builder';
import { RunLauncher } from './application/run-launcher';
import { RunLifecycleService } from './application/run-lifecycle.service';
import { RunScheduler } from './application/run-scheduler';
import { Transactor } from './application/unit-of-work';
import { WatchdogService } from './application/watchdog.service';
import { WorkItemService } from './application/work-item.service';
import { WorkItemTransitions } from './application/work-item-transitions';
import { IngressConsumer } from './consumers/ingress.consumer';
import { RunEventsConsumer, SandboxEventsConsumer } from './consumers/run-events.consumer';
import { RunRepository } from './persistence/run.repository';
import { WorkItemRepository } from './persistence/work-item.repository';
import { ORCHESTRATOR_CONFIG, OrchestratorConfig } from './settings';

/** Orchestrator: work items, runs, dependencies, routing and audit. */
@Module({})
export class OrchestratorModule {
  static register(config: OrchestratorConfig): DynamicModule {
    return {
      module: OrchestratorModule,
      imports: [
        ObservabilityModule.forRoot('orchestrator', config.LOG_LEVEL),
        DbModule.forRoot({ databaseUrl: config.DATABASE_URL, relay: true }),
        MessagingModule.forRoot({
          natsUrl: config.NATS_URL,
          prefix: config.HZN_STREAM_PREFIX,
          name: 'orchestrator',
        }),
      ],
      providers: [
        { provide: ORCHESTRATOR_CONFIG, useValue: config },
        WorkItemRepository,
        RunRepository,
        OrchestratorMetrics,
        Transactor,
        WorkItemTransitions,
        RunLauncher,
        WorkItemService,
        RoutingContextBuilder,
        DecisionExecutor,
        RunLifecycleService,
        RunScheduler,
        WatchdogService,
        IngressConsumer,
        RunEventsConsumer,
        SandboxEventsConsumer,
      ],
    };
  }
}
