import { Controller, DynamicModule, Get, Global, Inject, Injectable, Module, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Registry } from 'prom-client';
import { Logger, createLogger } from '../logger';
import { createMetricsRegistry } from '../metrics';
import { ReadinessCheck, evaluateReadiness } from '../health';

export const LOGGER = Symbol('hzn:logger');
export const METRICS = Symbol('hzn:metrics');

/** Modules register what "ready" means for them (Postgres answers, consumers bound, …). */
@Injectable()
export class ReadinessRegistry {
  private readonly checks: ReadinessCheck[] = [];
  register(check: ReadinessCheck): void {
    this.checks.push(check);
  }
  evaluate() {
    return evaluateReadiness(this.checks);
  }
}

@Controller()
export class HealthController {
  constructor(
    private readonly readiness: ReadinessRegistry,
    @Inject(METRICS) private readonly metrics: Registry,
  ) {}

  /** Alive: the process answers. Says nothing about its dependencies. */
  @Get('healthz')
  healthz() {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(@Res() reply: FastifyReply) {
    const report = await this.readiness.evaluate();
    await reply.status(report.ready ? 200 : 503).send(report);
  }

  @Get('metrics')
  async metricsText(@Res() reply: FastifyReply) {
    await reply.header('content-type', this.metrics.contentType).send(await this.metrics.metrics());
  }
}

@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(service: string, logLevel: string): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: [HealthController],
      providers: [
        { provide: LOGGER, useValue: createLogger(service, logLevel) },
        { provide: METRICS, useValue: createMetricsRegistry(service) },
        ReadinessRegistry,
      ],
      exports: [LOGGER, METRICS, ReadinessRegistry],
    };
  }
}

export type { Logger };
