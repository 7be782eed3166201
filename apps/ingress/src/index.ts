// What a multi-service test (e2e/) boots of ingress: its module and its configuration's shape.
export { IngressModule } from './app.module';
export { configShape as ingressConfigShape } from './config';
