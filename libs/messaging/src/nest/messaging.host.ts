import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { allContracts } from '@horizon/contracts';
import type { Contract } from '@horizon/contracts';
import { LOGGER, METRICS, ReadinessRegistry, counter } from '@horizon/observability';
import type { Logger } from '@horizon/observability';
import type { Counter, Registry } from 'prom-client';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { JetStreamConnection } from '../connection';
import { ConsumerRunner } from '../consumer';
import { STREAMS } from '../naming';
import { MessageHandler } from '../outcome';
import { Publisher } from '../publisher';
import { RpcServer } from '../rpc';
import { consumerFilter, unclaimedSubjects } from '../subjects';
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
    try {
      for (const wrapper of this.discovery.getProviders()) await this.bind(wrapper, outcomes);
    } catch (err) {
      // A service that cannot start must not keep pulling with the consumers bound so far.
      await this.beforeApplicationShutdown();
      throw err;
    }
    this.readiness.register({
      name: 'consumers',
      check: async () => {
        const unbound = this.runners.filter((r) => !r.isBound);
        if (unbound.length) throw new Error(`${unbound.length} consumer(s) not bound`);
      },
    });
  }

  private async bind(wrapper: InstanceWrapper, outcomes: Counter<string>): Promise<void> {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    if (!instance || !wrapper.metatype) return;
    const options = this.reflector.get<ConsumerOptions | undefined>(CONSUMER_META, wrapper.metatype as never);
    if (!options) return;
    const handlers = new Map<string, MessageHandler>();
    const named: { subject: string; handler: string }[] = [];
    for (const name of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
      const method = instance[name] as (...args: unknown[]) => unknown;
      const contracts = this.reflector.get<Contract[] | undefined>(HANDLER_META, method) ?? [];
      for (const contract of contracts) {
        if (handlers.has(contract.subject))
          throw new Error(`${contract.subject} has two handlers in ${options.durable}`);
        handlers.set(contract.subject, method.bind(instance) as MessageHandler);
        named.push({ subject: contract.subject, handler: `${wrapper.metatype.name}.${name}` });
      }
    }
    const ignored = (options.ignore ?? []).map((c) => c.subject);
    const filter = consumerFilter({
      durable: options.durable,
      streamSubjects: STREAMS[options.stream].subjects,
      filterSubject: options.filterSubject,
      handlers: named,
      ignored,
    });
    const unclaimed = unclaimedSubjects(
      filter,
      new Set([...handlers.keys(), ...ignored]),
      allContracts.map((c) => c.subject),
    );
    if (unclaimed.length)
      throw new Error(
        `consumer ${options.durable} (${wrapper.metatype.name}): its filter ${filter} delivers ${unclaimed.join(', ')} with no handler; handle each with @HandleMessage or list its contract in the consumer's ignore (acknowledged unread)`,
      );
    const runner = new ConsumerRunner(
      this.connection,
      this.publisher,
      { ...options, filterSubject: filter, handlers },
      this.logger,
      { outcomes },
    );
    await runner.start();
    this.runners.push(runner);
    this.logger.info(
      { consumer: options.durable, filter, subjects: [...handlers.keys()], ignored },
      'consumer bound',
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
    await this.rpcServer.stop();
    await this.connection.close();
  }
}
