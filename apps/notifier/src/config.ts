import { baseConfig, port } from '@horizon/config';

/** Everything notifier reads from the environment, parsed once at start. */
export const configShape = {
  ...baseConfig,
  NOTIFIER_PORT: port(9104),
};
