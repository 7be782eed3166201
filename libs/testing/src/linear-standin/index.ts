export * from './linear-state';
export * from './linear-standin';
