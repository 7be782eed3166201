// What other services use of mcp-context: the orchestrator mints run tokens at run start.
export { RunTokenIssuer } from './auth/run-token-issuer';
export type { MintedRunToken, RevocationStore } from './auth/run-token-issuer';
export { PgRevocationStore } from './auth/pg-revocation-store';
export { RUN_TOKEN_AUDIENCE, RunTokenRejected } from './auth/run-token';
export type { RunTokenClaims, RunTokenRequest } from './auth/run-token';
export { loadRunTokenSecret, TOKEN_KEY_FILE } from './auth/token-secret';
export { MCP_SCOPES, scopesForFlavour } from './auth/scopes';
export type { McpScope } from './auth/scopes';
export { MCP_PATH } from './http/mcp-routes';
export { RUN_HEADER } from './http/authorize';
// What a multi-service test (e2e/) boots of mcp-context.
export { McpContextModule } from './app.module';
export { configShape as mcpContextConfigShape } from './config';
