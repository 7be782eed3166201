import { join } from 'node:path';
import { z } from 'zod';
import { baseConfig, port, positiveInt, url, listenHost } from '@horizon/config';

const optional = (description: string) => z.string().min(1).optional().describe(description);

/** Everything mcp-context reads from the environment, parsed once at start. */
export const configShape = {
  ...baseConfig,
  MCP_CONTEXT_PORT: port(8090),
  MCP_CONTEXT_HOST: listenHost,
  MCP_TOKEN_SECRET: z
    .string()
    .min(32)
    .optional()
    .describe('the run-token HMAC secret, at least 32 characters'),
  MCP_PUBLIC_URL: url(['http', 'https']).optional(),
  MCP_AUTHORIZATION_SERVER: url(['http', 'https']).optional(),
  MCP_PAGE_MAX_BYTES: positiveInt(32 * 1024),
  MCP_PAGE_MAX_ITEMS: positiveInt(50),
  MCP_LOGS_DIR: optional('a directory of pino .log files'),
  MCP_LOGS_TAIL_BYTES: positiveInt(16 * 1024 * 1024),
  LINEAR_API_KEY: optional('a Linear API key'),
  LINEAR_API_URL: url(['http', 'https']).optional(),
  SLACK_BOT_TOKEN: optional('a Slack bot token (xoxb-…)'),
  SLACK_API_URL: url(['http', 'https']).optional(),
  GITHUB_TOKEN: optional('a GitHub token with read access to pull requests and checks'),
  GITHUB_API_URL: url(['http', 'https']).optional(),
  DATADOG_API_KEY: optional('a Datadog API key'),
  DATADOG_APP_KEY: optional('a Datadog application key'),
  DATADOG_API_URL: url(['http', 'https'], 'https://api.datadoghq.com'),
  SENTRY_TOKEN: optional('a Sentry auth token with event:read'),
  SENTRY_ORG: optional('a Sentry organization slug'),
  SENTRY_URL: url(['http', 'https'], 'https://sentry.io'),
  NOTION_TOKEN: optional("a Notion integration's internal token (ntn_…), the pages shared with it"),
  NOTION_API_URL: url(['http', 'https'], 'https://api.notion.com'),
  FIGMA_TOKEN: optional('a Figma personal access token with file_content:read and file_comments:read'),
  FIGMA_API_URL: url(['http', 'https'], 'https://api.figma.com'),
};

export type McpContextConfig = z.infer<z.ZodObject<typeof configShape>>;

export function logsDir(config: McpContextConfig): string {
  return config.MCP_LOGS_DIR ?? join(config.HORIZON_DATA_DIR, 'logs');
}
