import { loadConfigOrExit } from '@horizon/config';
import { runService } from '@horizon/runtime';
import { McpContextModule } from './app.module';
import { configShape } from './config';

const config = loadConfigOrExit(configShape);
runService({
  name: 'mcp-context',
  module: McpContextModule.register(config),
  port: config.MCP_CONTEXT_PORT,
  host: config.MCP_CONTEXT_HOST,
});
