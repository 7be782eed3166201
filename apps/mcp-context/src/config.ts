import { baseConfig, port } from '@horizon/config';

/** Everything mcp-context reads from the environment, parsed once at start. */
export const configShape = {
  ...baseConfig,
  MCP_CONTEXT_PORT: port(8090),
};
