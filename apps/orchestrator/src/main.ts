import { loadConfigOrExit } from '@horizon/config';
import { runService } from '@horizon/runtime';
import { OrchestratorModule } from './app.module';
import { configShape } from './config';

const config = loadConfigOrExit(configShape);
runService({
  name: 'orchestrator',
  module: OrchestratorModule.register(config),
  port: config.ORCHESTRATOR_PORT,
  host: config.ORCHESTRATOR_HOST,
});
