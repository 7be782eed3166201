// What a multi-service test (e2e/) boots of this service: its module and its configuration's shape.
export { NotifierModule } from './app.module';
export { configShape as notifierConfigShape } from './config';
// The key a pull request is recorded under, so a test can find the one the notifier opened.
export { pullRequestDeliveryKey } from './application/pull-requests/pull-request-delivery';
