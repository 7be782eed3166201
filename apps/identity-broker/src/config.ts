import { baseConfig, port } from '@horizon/config';

/** Everything identity-broker reads from the environment, parsed once at start. */
export const configShape = {
  ...baseConfig,
  IDENTITY_BROKER_PORT: port(9103),
};
