import { loadConfigOrExit } from '@horizon/config';
import { runService } from '@horizon/runtime';
import { configShape } from './config';
import { consoleService } from './server';

runService(consoleService(loadConfigOrExit(configShape)));
