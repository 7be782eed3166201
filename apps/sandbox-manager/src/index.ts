// What a multi-service test (e2e/) uses of this service: its module, its configuration's shape, and
// the readers that fetch a fix run's check logs (e2e/test/github-check-logs.test.ts).
export { SandboxManagerModule } from './app.module';
export { configShape as sandboxManagerConfigShape } from './config';
export { checkLogReaders } from './host/check-log-readers';
