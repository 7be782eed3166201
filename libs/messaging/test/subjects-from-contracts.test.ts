import { randomUUID } from 'node:crypto';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  Contract,
  DataOf,
  envelopeFor,
  runFinished,
  runProgress,
  runStarted,
  sandboxStateChanged,
  workItemCreated,
  workItemFollowUp,
  workItemStateChanged,
} from '@horizon/contracts';
import { ObservabilityModule, createLogger } from '@horizon/observability';
import {
  ConsumerRunner,
  ConsumerSpec,
  HEADER,
  HandleMessage,
  MessageConsumer,
  MessageHandler,
  MessagingModule,
} from '@horizon/messaging';
import { deadLetterOf, until } from '@horizon/testing';
import { jetStreamPerTest, stateChangedData } from './support';

const logger = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');

describe('consumer filters derived from contracts (real JetStream)', () => {
  const js = jetStreamPerTest('subjects-test');

  async function start(spec: Omit<ConsumerSpec, 'stream'> & { stream?: ConsumerSpec['stream'] }) {
    const runner = new ConsumerRunner(
      js.conn,
      js.publisher,
      { stream: 'EVT', ackWaitMs: 1000, backoffMs: [50], ...spec },
      logger,
    );
    await runner.start();
    js.runners.push(runner);
    return runner;
  }

  const filterOf = async (durable: string, stream = 'EVT' as const) =>
    (await js.conn.jsm.consumers.info(js.conn.naming.stream(stream), durable)).config.filter_subject;

  function publish<C extends Contract>(contract: C, data: DataOf<C>) {
    const env = envelopeFor(contract, data, { source: 'test' });
    return js.publisher.publish(env).then(() => env);
  }

  it('binds with the narrowest filter covering its handlers, and narrows a durable bound wider before', async () => {
    const noop: MessageHandler = () => undefined;
    const wide = await start({
      durable: 'runs',
      filterSubject: 'hzn.evt.>',
      handlers: new Map([[runFinished.subject, noop]]),
    });
    expect(await filterOf('runs')).toBe(js.conn.naming.subject('hzn.evt.>'));
    await wide.stop();
    js.runners.splice(js.runners.indexOf(wide), 1);

    const derived = await start({
      durable: 'runs',
      handlers: new Map([
        [runProgress.subject, noop],
        [runFinished.subject, noop],
      ]),
      ignore: [runStarted],
    });
    expect(derived.filterSubject).toBe('hzn.evt.run.*');
    expect(await filterOf('runs')).toBe(js.conn.naming.subject('hzn.evt.run.*'));
  });

  it('dead-letters a message no handler knows, with the reason', async () => {
    await start({
      durable: 'workitems',
      filterSubject: 'hzn.evt.workitem.>',
      handlers: new Map([[workItemStateChanged.subject, () => undefined]]),
    });
    const unknown = await publish(workItemCreated, {
      workItemId: randomUUID(),
      kind: 'implement',
      state: 'queued',
      title: 't',
      repo: 'acme/app',
      sourceRefs: {},
      ownerId: null,
    });
    const dead = await deadLetterOf(js.conn, unknown.id);
    expect(dead.header.get(HEADER.dlqReason)).toBe('no handler for subject hzn.evt.workitem.created');
    expect(dead.header.get(HEADER.dlqConsumer)).toBe('workitems');
    expect(dead.subject).toBe(js.conn.naming.subject('hzn.dlq.evt.workitem.created'));
  });

  it('acks an ignored subject unread, without dead-lettering it', async () => {
    const seen: string[] = [];
    await start({
      durable: 'workitems',
      filterSubject: 'hzn.evt.workitem.>',
      handlers: new Map([[workItemStateChanged.subject, (env) => void seen.push(env.id)]]),
      ignore: [workItemFollowUp],
    });
    const ignored = await publish(workItemFollowUp, {
      workItemId: randomUUID(),
      runId: null,
      text: 'and also this',
      origin: 'slack',
      author: 'U1',
    });
    const handled = await publish(workItemStateChanged, stateChangedData());
    await until(() => seen.includes(handled.id), 'the handled message');
    await until(async () => {
      const info = await js.conn.jsm.consumers.info(js.conn.naming.stream('EVT'), 'workitems');
      return info.num_ack_pending === 0 && info.ack_floor.stream_seq === 2;
    }, 'both messages acked');
    expect(seen).toEqual([handled.id]);
    await expect(deadLetterOf(js.conn, ignored.id, 1500)).rejects.toThrow('no dead letter');
  });

  it('refuses a handler outside a declared filter before binding', async () => {
    const finished: MessageHandler = function finishedHandler() {};
    expect(
      () =>
        new ConsumerRunner(
          js.conn,
          js.publisher,
          {
            durable: 'bad',
            stream: 'EVT',
            filterSubject: 'hzn.evt.workitem.>',
            handlers: new Map([[runFinished.subject, finished]]),
          },
          logger,
        ),
    ).toThrow(
      "consumer bad: handler finishedHandler handles hzn.evt.run.finished, which lies outside the consumer's filter hzn.evt.workitem.>",
    );
  });

  it('names both consumers when a work-queue stream refuses overlapping filters', async () => {
    const noop: MessageHandler = () => undefined;
    await start({
      durable: 'sandbox-all',
      stream: 'CMD',
      filterSubject: 'hzn.cmd.sandbox.>',
      handlers: new Map([['hzn.cmd.sandbox.provision', noop]]),
    });
    await expect(
      start({
        durable: 'sandbox-one',
        stream: 'CMD',
        handlers: new Map([['hzn.cmd.sandbox.provision', noop]]),
      }),
    ).rejects.toThrow(
      /consumer sandbox-one \(filter hzn\.cmd\.sandbox\.provision\) could not bind to .*: another consumer on .* has a filter overlapping hzn\.cmd\.sandbox\.provision/,
    );
  });

  describe('a Nest service', () => {
    @Injectable()
    @MessageConsumer({ durable: 'runs-partial', stream: 'EVT', filterSubject: 'hzn.evt.run.>' })
    class PartialRunsConsumer {
      @HandleMessage(runFinished)
      finished() {}
    }

    @Injectable()
    @MessageConsumer({ durable: 'runs-outside', stream: 'EVT', filterSubject: 'hzn.evt.run.>' })
    class OutsideConsumer {
      @HandleMessage(runFinished)
      finished() {}

      @HandleMessage(sandboxStateChanged)
      sandboxChanged() {}
    }

    @Injectable()
    @MessageConsumer({ durable: 'runs-all', stream: 'EVT', ignore: [runStarted] })
    class RunsConsumer {
      @HandleMessage(runFinished, runProgress)
      run() {}
    }

    function boot(consumer: new () => unknown) {
      @Module({
        imports: [
          ObservabilityModule.forRoot('subjects-test', 'silent'),
          MessagingModule.forRoot({
            natsUrl: js.messaging.natsUrl,
            prefix: js.messaging.prefix,
            name: 'subjects-test',
          }),
        ],
        providers: [consumer],
      })
      class TestModule {}
      return NestFactory.createApplicationContext(TestModule, { logger: false, abortOnError: false });
    }

    it("does not start when a handler lies outside its consumer's filter, naming handler, subject and filter", async () => {
      await expect(boot(OutsideConsumer)).rejects.toThrow(
        "consumer runs-outside: handler OutsideConsumer.sandboxChanged handles hzn.evt.sandbox.state_changed, which lies outside the consumer's filter hzn.evt.run.>",
      );
    });

    it('does not start when its filter delivers a contract nothing handles or ignores', async () => {
      await expect(boot(PartialRunsConsumer)).rejects.toThrow(
        'consumer runs-partial (PartialRunsConsumer): its filter hzn.evt.run.> delivers hzn.evt.run.started, hzn.evt.run.progress with no handler',
      );
    });

    it('starts with the derived filter when every contract it delivers is claimed', async () => {
      const app = await boot(RunsConsumer);
      try {
        expect(await filterOf('runs-all')).toBe(js.conn.naming.subject('hzn.evt.run.*'));
      } finally {
        await app.close();
      }
    });
  });
});
