import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import type { ServiceOptions } from '@horizon/runtime';
import { ConsoleModule } from './app.module';
import { webDir, type ConsoleConfig } from './config';
import { securityHeaders } from './http/security-headers';

/** How the console is started: main.ts runs it, its tests start it in process. */
export function consoleService(config: ConsoleConfig): ServiceOptions {
  return {
    name: 'console',
    module: ConsoleModule.register(config),
    port: config.CONSOLE_PORT,
    host: config.CONSOLE_HOST,
    beforeListen: async (app) => {
      await app.register(fastifyCookie);
      const assets = path.join(webDir(config), 'assets');
      // Hashed file names: a year of caching is safe, a new build has new names.
      if (fs.existsSync(assets))
        await app.register(fastifyStatic, {
          root: assets,
          prefix: '/assets/',
          immutable: true,
          maxAge: '365d',
        });
      app.getHttpAdapter().getInstance().addHook('onSend', securityHeaders);
    },
  };
}
