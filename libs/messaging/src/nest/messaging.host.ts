import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Contract } from '@horizon/contracts';
import { LOGGER, METRICS, ReadinessRegistry, counter } from '@horizon/observability';
import type { Logger } from '@horizon/observability';
import type { Registry } from 'prom-client';
import { JetStreamConnection } from '../connection';
import { ConsumerRunner } from '../consumer';
import { MessageHandler } from '../outcome';
import { Publisher } from '../publisher';
import { RpcServer } from '../rpc';
import { CONSUMER_META, ConsumerOptions, HANDLER_META } from './decorators';

/**
 * Finds every `@MessageConsumer` provider at bootstrap, binds one durable consumer per class,
 * and on shutdown stops pulling and drains in-flight work before the connection closes.
 */
@Injectable()
export class MessagingHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly runners: ConsumerRunner[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly connection: JetStreamConnection,
    private readonly publisher: Publisher,
    private readonly rpcServer: RpcServer,
    private readonly readiness: ReadinessRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) private readonly metrics: Registry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const outcomes = counter(
      this.metrics,
      'hzn_messages_total',
      'Messages handled, by consumer and outcome',
      ['consumer', 'outcome'],
    );
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || !wrapper.metatype) continue;
      const options = this.reflector.get<ConsumerOptions | undefined>(
        CONSUMER_META,
        wrapper.metatype as never,
      );
      if (!options) continue;
      const handlers = new Map<string, MessageHandler>();
      for (const name of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
        const method = instance[name] as (...args: unknown[]) => unknown;
        const contracts = this.reflector.get<Contract[] | undefined>(HANDLER_META, method) ?? [];
        for (const contract of contracts) {
          if (handlers.has(contract.subject))
            throw new Error(`${contract.subject} has two handlers in ${options.durable}`);
          handlers.set(contract.subject, method.bind(instance) as MessageHandler);
        }
      }
      const runner = new ConsumerRunner(
        this.connection,
        this.publisher,
        { ...options, handlers },
        this.logger,
        { outcomes },
      );
      await runner.start();
      this.runners.push(runner);
      this.logger.info({ consumer: options.durable, subjects: [...handlers.keys()] }, 'consumer bound');
    }
    this.readiness.register({
      name: 'consumers',
      check: async () => {
        const unbound = this.runners.filter((r) => !r.isBound);
        if (unbound.length) throw new Error(`${unbound.length} consumer(s) not bound`);
      },
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
    await this.rpcServer.stop();
    await this.connection.close();
  }
}
