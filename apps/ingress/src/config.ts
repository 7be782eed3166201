import { baseConfig, port } from '@horizon/config';

/** Everything ingress reads from the environment, parsed once at start. */
export const configShape = {
  ...baseConfig,
  INGRESS_PORT: port(8080),
};
