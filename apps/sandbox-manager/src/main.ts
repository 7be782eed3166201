import { ConfigError, loadConfigOrExit } from '@horizon/config';
import { runService } from '@horizon/runtime';
import { SandboxManagerModule } from './app.module';
import { configShape, modelProviderConfig } from './config';

const config = loadConfigOrExit(configShape);
try {
  modelProviderConfig(config);
} catch (err) {
  // A provider half configured stops the service like any bad variable: one line, EX_CONFIG.
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(78);
}
runService({
  name: 'sandbox-manager',
  module: SandboxManagerModule.register(config),
  port: config.SANDBOX_MANAGER_PORT,
  host: config.SANDBOX_MANAGER_HOST,
});
