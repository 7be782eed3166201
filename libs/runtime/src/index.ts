export * from './start-service';
export * from './foundation';
