import type { RpcClient } from '@horizon/messaging';
import { logsDir, McpContextConfig } from '../config';
import { DatadogLogs } from './datadog-logs';
import { GitHubPullRequestReader } from '@horizon/integrations-github';
import { LinearReader } from '@horizon/integrations-linear';
import { createSlackChat } from '@horizon/integrations-slack';
import { ChatThreads } from './chat-threads';
import { FigmaDesigns } from './figma-designs';
import { LocalLogs } from './local-logs';
import { LocalTracker } from './local-tracker';
import { NotionDocs } from './notion-docs';
import { OrchestratorRunHistory } from './orchestrator-run-history';
import { MAX_SOURCE_ITEMS } from './ports';
import { SentryErrors } from './sentry-errors';
import type { Sources } from './sources';
import { WorkspaceConventions } from './workspace-conventions';

/**
 * The local adapters by default; a real service wherever its credentials are configured.
 * Chat, documents, designs and forge have no local adapter: without Slack, Notion, Figma or GitHub their
 * tools are not offered.
 */
export function configuredSources(config: McpContextConfig, rpc: RpcClient): Sources {
  const local = new LocalLogs({ dir: logsDir(config), tailBytes: config.MCP_LOGS_TAIL_BYTES });
  return {
    tracker: config.LINEAR_API_KEY
      ? new LinearReader({
          apiKey: config.LINEAR_API_KEY,
          apiUrl: config.LINEAR_API_URL,
          maxItems: MAX_SOURCE_ITEMS,
        })
      : new LocalTracker(rpc),
    chat: config.SLACK_BOT_TOKEN
      ? new ChatThreads(
          'slack',
          createSlackChat({ token: config.SLACK_BOT_TOKEN, slackApiUrl: config.SLACK_API_URL }),
        )
      : undefined,
    docs: config.NOTION_TOKEN
      ? new NotionDocs({ token: config.NOTION_TOKEN, url: config.NOTION_API_URL })
      : undefined,
    design: config.FIGMA_TOKEN
      ? new FigmaDesigns({ token: config.FIGMA_TOKEN, url: config.FIGMA_API_URL })
      : undefined,
    forge: config.GITHUB_TOKEN
      ? new GitHubPullRequestReader({
          token: config.GITHUB_TOKEN,
          apiUrl: config.GITHUB_API_URL,
          maxItems: MAX_SOURCE_ITEMS,
        })
      : undefined,
    logs:
      config.DATADOG_API_KEY && config.DATADOG_APP_KEY
        ? new DatadogLogs({
            apiKey: config.DATADOG_API_KEY,
            appKey: config.DATADOG_APP_KEY,
            apiUrl: config.DATADOG_API_URL,
          })
        : local,
    errors:
      config.SENTRY_TOKEN && config.SENTRY_ORG
        ? new SentryErrors({ token: config.SENTRY_TOKEN, org: config.SENTRY_ORG, url: config.SENTRY_URL })
        : local.errors(),
    runs: new OrchestratorRunHistory(rpc),
    conventions: new WorkspaceConventions(),
  };
}
