import { loadConfigOrExit } from '@horizon/config';
import { runService } from '@horizon/runtime';
import { NotifierModule } from './app.module';
import { configShape } from './config';

const config = loadConfigOrExit(configShape);
runService({
  name: 'notifier',
  module: NotifierModule.register(config),
  port: config.NOTIFIER_PORT,
  host: config.NOTIFIER_HOST,
});
