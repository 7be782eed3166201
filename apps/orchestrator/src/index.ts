// What a multi-service test (e2e/) boots of this service: its module and its configuration's shape.
export { OrchestratorModule } from './app.module';
export { configShape as orchestratorConfigShape } from './config';
// The bound of each watched state, for the fault suite's check that no item overstays one.
export { defaultWatchdogRules } from './domain/watchdog';
