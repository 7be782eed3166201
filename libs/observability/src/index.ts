export * from './logger';
export * from './metrics';
export * from './health';
export * from './nest/observability.module';
export * from './integration-probe';
