// The fault suite's driver, shared by e2e/test/chaos.test.ts and bench/chaos (docs/faults.md).
export * from './client';
export * from './stack';
export * from './faults';
export * from './verify';
export * from './scenario';
