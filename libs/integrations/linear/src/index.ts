export * from './webhooks';
export * from './tracker';
export * from './endpoints';
