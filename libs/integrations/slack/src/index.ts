export * from './webhooks';
export * from './chat';
export * from './budget-modal';
