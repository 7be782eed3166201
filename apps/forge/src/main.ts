import { loadConfigOrExit } from '@horizon/config';
import { runService } from '@horizon/runtime';
import { ForgeModule } from './app.module';
import { configShape } from './config';

const config = loadConfigOrExit(configShape);
runService({
  name: 'forge',
  module: ForgeModule.register(config),
  port: config.FORGE_PORT,
  host: config.FORGE_HOST,
});
