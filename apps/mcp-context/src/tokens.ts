/** Nest injection tokens of mcp-context. */
export const MCP_CONFIG = Symbol('hzn:mcp-context-config');
export const SOURCES = Symbol('hzn:mcp-context-sources');
