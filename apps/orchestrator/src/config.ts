import { baseConfig, port } from '@horizon/config';

/** Everything orchestrator reads from the environment, parsed once at start. */
export const configShape = {
  ...baseConfig,
  ORCHESTRATOR_PORT: port(9101),
};
