export { ConsoleModule } from './app.module';
export { configShape } from './config';
export { consoleService } from './server';
