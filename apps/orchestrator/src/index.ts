// What a multi-service test (e2e/) boots of this service: its module and its configuration's shape.
export { OrchestratorModule } from './app.module';
export { configShape as orchestratorConfigShape } from './config';
