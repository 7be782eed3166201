import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '@horizon/observability';
import type { McpScope } from '@horizon/run-tokens';
import { CursorError } from '../../domain/paging';
import type { ToolContext, ToolDefinition } from './tool';
import { chatTools } from './tools/chat-tools';
import { docsTools } from './tools/docs-tools';
import { forgeTools } from './tools/forge-tools';
import { platformTools } from './tools/platform-tools';
import { trackerTools } from './tools/tracker-tools';

export const ALL_TOOLS: readonly ToolDefinition[] = [
  ...trackerTools,
  ...chatTools,
  ...docsTools,
  ...forgeTools,
  ...platformTools,
] as never;

export const SERVER_INFO = { name: 'horizon-mcp-context', version: '1.0.0' };

/** The scope a tool needs, for refusing a call before it reaches the server. */
export function scopeOfTool(name: string): McpScope | undefined {
  return ALL_TOOLS.find((t) => t.name === name)?.scope;
}

/**
 * One MCP server for one request (the transport is stateless): it offers exactly the tools
 * the token's scopes allow and this Horizon has sources for.
 */
export function buildMcpServer(ctx: ToolContext, logger: Logger): McpServer {
  const server = new McpServer(SERVER_INFO, {
    instructions:
      'Context for this Horizon run: tracker issues, chat threads, pull requests, logs, errors, past runs and repository conventions. ' +
      'Every list is paged: when nextCursor is not null, call the same tool with the same arguments and cursor for the rest.',
  });
  for (const tool of ALL_TOOLS) {
    if (!ctx.claims.scopes.includes(tool.scope) || !tool.available(ctx.sources)) continue;
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        outputSchema: tool.output,
        annotations: { readOnlyHint: true, openWorldHint: true },
      },
      (async (args: Record<string, unknown>): Promise<CallToolResult> => {
        try {
          const result = (await tool.run(args as never, ctx)) as Record<string, unknown>;
          return { structuredContent: result, content: [{ type: 'text', text: JSON.stringify(result) }] };
        } catch (err) {
          if (err instanceof CursorError) throw new McpError(ErrorCode.InvalidParams, err.message);
          logger.warn(
            { tool: tool.name, runId: ctx.claims.runId, err: (err as Error).message },
            'tool call failed',
          );
          return {
            isError: true,
            content: [{ type: 'text', text: `${tool.name}: ${(err as Error).message}` }],
          };
        }
      }) as never,
    );
  }
  return server;
}
