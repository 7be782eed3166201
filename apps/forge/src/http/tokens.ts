/** Nest injection token of the one secret every API and git request must carry. */
export const FORGE_SECRET = Symbol('hzn:forge-secret');
