// What a multi-service test (e2e/) boots of this service: its module and its configuration's shape.
export { SandboxManagerModule } from './app.module';
export { configShape as sandboxManagerConfigShape } from './config';
