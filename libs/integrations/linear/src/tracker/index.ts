export * from './tracker-port';
export * from './linear-tracker';
export * from './linear-reader';
