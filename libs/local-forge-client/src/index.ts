export * from './local-forge-client';
export * from './local-forge-adapter';
export * from './token-file';
export * from './people';
