/** Nest injection token of the parsed ingress configuration. */
export const INGRESS_CONFIG = Symbol('hzn:ingress-config');
