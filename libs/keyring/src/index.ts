// Secrets sealed at rest (AES-256-GCM under HORIZON_ENCRYPTION_KEY[S]): one keyring for every service that stores one.
export * from './keyring';
export * from './load-keyring';
export * from './keyring-config';
