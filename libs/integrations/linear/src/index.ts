export * from './webhooks';
export * from './tracker';
