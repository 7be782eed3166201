export * from './config';
export * from './fields';
