export * from './client';
export * from './outbox';
export * from './outbox-relay';
export * from './inbox';
export * from './pg-catalog-types';
export * from './db.module';
export * from './service-schemas';
