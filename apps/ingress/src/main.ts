import { loadConfigOrExit } from '@horizon/config';
import { runService } from '@horizon/runtime';
import { IngressModule } from './app.module';
import { configShape } from './config';

const config = loadConfigOrExit(configShape);
runService({
  name: 'ingress',
  module: IngressModule.register(config),
  port: config.INGRESS_PORT,
  host: config.INGRESS_HOST,
});
