// What other services use of mcp-context: where its MCP endpoint is and the run header it reads.
export { MCP_PATH } from './http/mcp-routes';
export { RUN_HEADER } from './http/authorize';
