import { loadConfigOrExit } from '@horizon/config';
import { runService } from '@horizon/runtime';
import { SandboxManagerModule } from './app.module';
import { configShape } from './config';

const config = loadConfigOrExit(configShape);
runService({
  name: 'sandbox-manager',
  module: SandboxManagerModule.register(config),
  port: config.SANDBOX_MANAGER_PORT,
});
