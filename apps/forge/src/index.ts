export * from './client/forge-client';
export * from './client/local-forge';
export * from './tracker/local-tracker';
export { forgeToken, forgeTokenFile } from './auth';
export { configShape as forgeConfigShape } from './config';
