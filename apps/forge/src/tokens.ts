/** Nest injection tokens of the forge. */
export const FORGE_CONFIG = Symbol('hzn:forge-config');
/** The one secret every API and git request must carry. */
export const FORGE_SECRET = Symbol('hzn:forge-secret');
