export const SANDBOX_MANAGER_CONFIG = Symbol('hzn:sandbox-manager-config');
export const SANDBOX_RUNTIME = Symbol('hzn:sandbox-runtime');
export const MCP_ACCESS = Symbol('hzn:mcp-access');
