import { foundationModules } from '@horizon/runtime';
import { DynamicModule, Module } from '@nestjs/common';
import { ContextQueries } from './application/context-queries';
import { FleetDispatcher } from './application/fleet-dispatcher';
import { FleetService } from './application/fleet.service';
import { FleetTracker } from './application/fleet-tracker';
import { FleetsResponder } from './messaging/fleets.responder';
import { FleetRepository } from './persistence/fleet.repository';
import { DecisionExecutor } from './application/decision-executor';
import { IntakeExecutor } from './application/intake-executor';
import { PullRequestExecutor } from './application/pull-request-executor';
import { FixStation } from './application/fix-station';
import { RebaseStation } from './application/rebase-station';
import { ReviewStation } from './application/review-station';
import { OrchestratorMetrics } from './application/metrics';
import { RoutingContextBuilder } from './application/routing-context.builder';
import { RunLauncher } from './application/run-launcher';
import { PlanRecorder } from './application/plan-recorder';
import { RunLifecycleService } from './application/run-lifecycle.service';
import { ModelUsageLedger } from './application/model-usage.service';
import { RunScheduler } from './application/run-scheduler';
import { ScheduleConfigSync } from './application/schedule-config-sync';
import { ScheduleService } from './application/schedule.service';
import { ScheduleTicker } from './application/schedule-ticker';
import { Transactor } from './application/unit-of-work';
import { WatchdogService } from './application/watchdog.service';
import { WorkItemService } from './application/work-item.service';
import { WorkItemRetry } from './application/work-item-retry';
import { WorkItemQueries } from './application/work-item-queries';
import { WorkItemTransitions } from './application/work-item-transitions';
import { ContextQueriesResponder } from './messaging/context-queries.responder';
import { IdentityDirectory } from './messaging/identity-directory';
import { BudgetHoldResponder } from './messaging/budget-hold.responder';
import { IngressConsumer } from './messaging/ingress.consumer';
import { RunEventsConsumer, SandboxEventsConsumer } from './messaging/run-events.consumer';
import { WorkQueriesResponder } from './messaging/work-queries.responder';
import { SchedulesResponder } from './messaging/schedules.responder';
import { RunHistoryRepository } from './persistence/run-history.repository';
import { ModelUsageRepository } from './persistence/model-usage.repository';
import { UsageResponder } from './messaging/usage.responder';
import { FrictionResponder } from './messaging/friction.responder';
import { RetroService } from './application/retro.service';
import { RunFrictionRepository } from './persistence/run-friction.repository';
import { RepoTrendsRepository } from './persistence/repo-trends.repository';
import { RunRepository } from './persistence/run.repository';
import { ScheduleRepository } from './persistence/schedule.repository';
import { TrackedItemRepository } from './persistence/tracked-item.repository';
import { WorkItemQueryRepository } from './persistence/work-item-queries.repository';
import { BudgetPolicy, BudgetWaits } from './application/budgets';
import { BudgetRepository } from './persistence/budget.repository';
import { ReviewSettingsRepository } from './persistence/review-settings.repository';
import { AgentSettingsRepository } from './persistence/agent-settings.repository';
import { WorkItemRepository } from './persistence/work-item.repository';
import { ORCHESTRATOR_CONFIG, OrchestratorConfig } from './settings';

/** Orchestrator: work items, runs, dependencies, routing, schedules and audit. */
@Module({})
export class OrchestratorModule {
  static register(config: OrchestratorConfig): DynamicModule {
    return {
      module: OrchestratorModule,
      imports: [...foundationModules('orchestrator', config, { outboxRelay: true })],
      providers: [
        { provide: ORCHESTRATOR_CONFIG, useValue: config },
        WorkItemRepository,
        ReviewSettingsRepository,
        AgentSettingsRepository,
        RunRepository,
        OrchestratorMetrics,
        Transactor,
        WorkItemTransitions,
        RunLauncher,
        WorkItemService,
        WorkItemRetry,
        RoutingContextBuilder,
        DecisionExecutor,
        IntakeExecutor,
        PullRequestExecutor,
        ReviewStation,
        FixStation,
        RebaseStation,
        RunLifecycleService,
        ModelUsageLedger,
        ModelUsageRepository,
        UsageResponder,
        RunFrictionRepository,
        RepoTrendsRepository,
        FrictionResponder,
        RetroService,
        BudgetRepository,
        BudgetPolicy,
        BudgetWaits,
        BudgetHoldResponder,
        PlanRecorder,
        RunScheduler,
        WatchdogService,
        IngressConsumer,
        RunEventsConsumer,
        SandboxEventsConsumer,
        TrackedItemRepository,
        RunHistoryRepository,
        ContextQueries,
        ContextQueriesResponder,
        IdentityDirectory,
        WorkItemQueryRepository,
        WorkItemQueries,
        WorkQueriesResponder,
        ScheduleRepository,
        ScheduleService,
        ScheduleConfigSync,
        ScheduleTicker,
        SchedulesResponder,
        FleetRepository,
        FleetTracker,
        FleetDispatcher,
        FleetService,
        FleetsResponder,
      ],
    };
  }
}
