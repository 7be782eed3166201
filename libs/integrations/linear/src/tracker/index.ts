export * from './tracker-port';
export * from './linear-tracker';
