// What other services use of mcp-context: where its MCP endpoint is and the run header it reads.
export { MCP_PATH } from './http/mcp-routes';
export { RUN_HEADER } from './http/authorize';
// What a multi-service test (e2e/) boots of mcp-context.
export { McpContextModule } from './app.module';
export { configShape as mcpContextConfigShape } from './config';
