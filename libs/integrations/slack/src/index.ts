export * from './webhooks';
export * from './chat';
