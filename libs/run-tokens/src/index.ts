// Run tokens: the JWT a run presents to mcp-context. sandbox-manager mints one per run;
// mcp-context verifies it and revokes it when the run ends.
export { RunTokenIssuer, RunTokenMinter } from './run-token-issuer';
export type { MintedRunToken, RevocationStore } from './run-token-issuer';
export { readRunToken, RUN_TOKEN_AUDIENCE, RunTokenRejected, signRunToken } from './run-token';
export type { RunTokenClaims, RunTokenRequest } from './run-token';
export { loadRunTokenSecret, TOKEN_KEY_FILE } from './token-secret';
export { isMcpScope, MCP_SCOPES, scopesForFlavour } from './scopes';
export type { McpScope } from './scopes';
