import 'reflect-metadata';
import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { LOGGER, ReadinessRegistry } from '@horizon/observability';
import type { Logger } from '@horizon/observability';
import { RefuseNulCharacters } from './refuse-nul-characters';

export interface ServiceOptions {
  name: string;
  module: Type<unknown> | DynamicModule;
  /** The port of its HTTP surface: /healthz, /readyz, /metrics and the service's own routes. */
  port: number;
  host?: string;
  /** Fastify's body limit for this service (ingress sets its own per route). */
  bodyLimit?: number;
  /** Called before the HTTP server listens: where a service registers Fastify plugins. */
  beforeListen?: (app: NestFastifyApplication) => Promise<void>;
  /** Called once the HTTP server is listening, before the ready line. */
  afterListen?: (app: NestFastifyApplication) => Promise<void>;
}

/**
 * Boots one Horizon service: Nest on Fastify, shutdown hooks (SIGTERM/SIGINT drain consumers
 * and close connections), and one `ready` log line once every readiness check passes.
 */
export async function startService(options: ServiceOptions): Promise<INestApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: options.bodyLimit ?? 1024 * 1024 });
  // Every route the service registers, however (Nest controllers, Fastify plugins): logged at
  // start so an operator (and the route-authorization test in e2e/) sees what it exposes.
  const routes: string[] = [];
  adapter.getInstance().addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push(`${method} ${route.url}`);
  });
  const app = await NestFactory.create<NestFastifyApplication>(options.module, adapter, {
    logger: ['error', 'warn'],
    bufferLogs: false,
  });
  app.enableShutdownHooks();
  app.useGlobalInterceptors(new RefuseNulCharacters());
  const logger = app.get<Logger>(LOGGER);
  await options.beforeListen?.(app);
  await app.listen(options.port, options.host ?? '127.0.0.1');
  logger.debug({ routes: [...new Set(routes)].sort() }, 'http routes');
  await options.afterListen?.(app);
  const address = `http://${options.host ?? '127.0.0.1'}:${options.port}`;
  const report = await app.get(ReadinessRegistry).evaluate();
  if (report.ready)
    logger.info({ address, checks: Object.keys(report.checks) }, `${options.name} ready on ${address}`);
  else logger.warn({ address, report }, `${options.name} listening on ${address} but not ready`);
  return app;
}

/** For main.ts: start, or log why not and exit 1. */
export function runService(options: ServiceOptions): void {
  startService(options).catch((err: Error) => {
    process.stderr.write(`${options.name}: failed to start: ${err.message}\n`);
    process.exit(1);
  });
}
