import { loadConfigOrExit } from '@horizon/config';
import { runService } from '@horizon/runtime';
import { IdentityBrokerModule } from './app.module';
import { configShape } from './config';

const config = loadConfigOrExit(configShape);
runService({
  name: 'identity-broker',
  module: IdentityBrokerModule.register(config),
  port: config.IDENTITY_BROKER_PORT,
  host: config.IDENTITY_BROKER_HOST,
});
