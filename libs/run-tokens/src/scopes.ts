import type { SandboxFlavour } from '@horizon/contracts';

/**
 * What a run's token may read. One scope per source, read-only: mcp-context never writes to
 * a tracker, chat or forge on an agent's behalf (the orchestrator and notifier do that).
 */
export const MCP_SCOPES = [
  'tracker:read',
  'chat:read',
  'docs:read',
  'design:read',
  'forge:read',
  'logs:read',
  'runs:read',
  'repo:read',
] as const;
export type McpScope = (typeof MCP_SCOPES)[number];

/**
 * Scopes by sandbox flavour (DESIGN §6). plan and implement runs (revise and retro runs use
 * these flavours too) read every source; nothing here writes, so implement adds nothing.
 * verify runs judge a change against its CI, logs and conventions, nothing conversational.
 * review runs read every source, like plan: the issue and thread explain what the PR is for.
 */
const BY_FLAVOUR: Record<SandboxFlavour, readonly McpScope[]> = {
  plan: MCP_SCOPES,
  implement: MCP_SCOPES,
  verify: ['forge:read', 'logs:read', 'repo:read'],
  review: MCP_SCOPES,
};

export function scopesForFlavour(flavour: SandboxFlavour): McpScope[] {
  return [...BY_FLAVOUR[flavour]];
}

export function isMcpScope(value: string): value is McpScope {
  return (MCP_SCOPES as readonly string[]).includes(value);
}
