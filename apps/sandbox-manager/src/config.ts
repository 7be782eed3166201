import { baseConfig, port } from '@horizon/config';

/** Everything sandbox-manager reads from the environment, parsed once at start. */
export const configShape = {
  ...baseConfig,
  SANDBOX_MANAGER_PORT: port(9102),
};
