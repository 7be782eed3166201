import { randomUUID } from 'node:crypto';
import { JsMsg } from '@nats-io/jetstream';
import { createEnvelope, envelopeFor, workItemStateChanged } from '@horizon/contracts';
import { createLogger } from '@horizon/observability';
import { ConsumerRunner, HEADER, JetStreamConnection, MessageHandler, Outcome } from '@horizon/messaging';
import { jetStreamPerTest, stateChangedData } from './support';

const logger = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');

function stateChanged() {
  return envelopeFor(workItemStateChanged, stateChangedData(), { source: 'test' });
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('JetStream messaging (real NATS)', () => {
  const js = jetStreamPerTest('messaging-test');

  it('provisions its streams idempotently', async () => {
    await expect(js.conn.provisionStreams()).resolves.toBeUndefined();
    const info = await js.conn.jsm.streams.info(js.conn.naming.stream('EVT'));
    expect(info.config.num_replicas).toBe(1);
  });

  it('asks for the stream replicas it is configured with (HZN_STREAM_REPLICAS), which a lone server refuses', async () => {
    const clustered = await JetStreamConnection.connect({
      natsUrl: js.messaging.natsUrl,
      prefix: `${js.messaging.prefix}R3`,
      name: 'replicas-test',
      replicas: 3,
    });
    try {
      await expect(clustered.provisionStreams()).rejects.toThrow(/replicas/i);
    } finally {
      await clustered.close();
    }
  });

  function runner(
    durable: string,
    handler: MessageHandler,
    extra: Partial<ConstructorParameters<typeof ConsumerRunner>[2]> = {},
  ) {
    const r = new ConsumerRunner(
      js.conn,
      js.publisher,
      {
        durable,
        stream: 'EVT',
        filterSubject: 'hzn.evt.workitem.>',
        handlers: new Map([[workItemStateChanged.subject, handler]]),
        ackWaitMs: 1000,
        backoffMs: [50],
        maxDeliver: 3,
        ...extra,
      },
      logger,
    );
    js.runners.push(r);
    return r;
  }

  async function dlqMessages(): Promise<JsMsg[]> {
    const name = `dlq-${randomUUID().slice(0, 8)}`;
    await js.conn.jsm.consumers.add(js.conn.naming.stream('DLQ'), {
      durable_name: name,
      ack_policy: 'explicit' as never,
    });
    const consumer = await js.conn.js.consumers.get(js.conn.naming.stream('DLQ'), name);
    const batch = await consumer.fetch({ max_messages: 100, expires: 1000 });
    const out: JsMsg[] = [];
    for await (const m of batch) out.push(m);
    return out;
  }

  it('publishes, consumes a typed envelope and acks it', async () => {
    const seen: string[] = [];
    await runner('ack', async (env) => {
      seen.push((env.data as { workItemId: string }).workItemId);
      return Outcome.ack();
    }).start();
    const env = stateChanged();
    await js.publisher.publish(env);
    await until(() => seen.length === 1);
    expect(seen).toEqual([(env.data as { workItemId: string }).workItemId]);
    const info = await js.conn.jsm.consumers.info(js.conn.naming.stream('EVT'), 'ack');
    await until(
      async () =>
        (await js.conn.jsm.consumers.info(js.conn.naming.stream('EVT'), 'ack')).num_ack_pending === 0,
    );
    expect(info.delivered.consumer_seq).toBe(1);
  });

  it('stores the same Nats-Msg-Id once', async () => {
    const env = stateChanged();
    const first = await js.publisher.publish(env);
    const second = await js.publisher.publish(env);
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.seq).toBe(first.seq);
  });

  it('redelivers a message whose consumer died before acking', async () => {
    const deliveries: number[] = [];
    const dying = runner('crash', async (_env, ctx) => {
      deliveries.push(ctx.deliveryCount);
      return new Promise(() => undefined); // never settles: the process "dies" holding it
    });
    await dying.start();
    await js.publisher.publish(stateChanged());
    await until(() => deliveries.length === 1);
    js.runners.splice(js.runners.indexOf(dying), 1);
    void dying.stop();
    const acked: number[] = [];
    await runner('crash', async (_env, ctx) => {
      acked.push(ctx.deliveryCount);
    }).start();
    await until(() => acked.length === 1, 15_000);
    expect(acked[0]).toBe(2);
  });

  it('naks with back-off and delivers again after the delay', async () => {
    const times: number[] = [];
    await runner(
      'backoff',
      async () => {
        times.push(Date.now());
        return times.length < 2 ? Outcome.retry('not yet', 400) : Outcome.ack();
      },
      { backoffMs: [400] },
    ).start();
    await js.publisher.publish(stateChanged());
    await until(() => times.length === 2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(350);
  });

  it('dead-letters after max deliveries with the reason and original headers', async () => {
    const env = stateChanged();
    let calls = 0;
    await runner('dlq-max', async () => {
      calls += 1;
      return Outcome.retry('downstream is down');
    }).start();
    await js.publisher.publish(env, {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    const dead = await until(async () =>
      (await dlqMessages()).find((m) => m.json<{ id: string }>().id === env.id),
    );
    expect(calls).toBe(3);
    expect(dead.headers?.get(HEADER.dlqReason)).toBe('gave up after 3 deliveries: downstream is down');
    expect(dead.headers?.get(HEADER.dlqConsumer)).toBe('dlq-max');
    expect(dead.headers?.get(HEADER.type)).toBe(workItemStateChanged.type);
    expect(dead.headers?.get(HEADER.traceparent)).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-/);
    expect(dead.subject).toBe(js.conn.naming.subject('hzn.dlq.evt.workitem.state_changed'));
  });

  it('dead-letters a payload that fails its schema, with the validation error, without calling the handler', async () => {
    let called = false;
    await runner('dlq-invalid', async () => {
      called = true;
    }).start();
    const bad = createEnvelope({
      type: workItemStateChanged.type,
      version: 1,
      subject: workItemStateChanged.subject,
      source: 'test',
      data: { workItemId: 'not-a-uuid', from: 'queued', to: 'nowhere' },
    });
    await js.publisher.publish(bad);
    const dead = await until(async () =>
      (await dlqMessages()).find((m) => m.json<{ id: string }>().id === bad.id),
    );
    expect(called).toBe(false);
    const reason = dead.headers?.get(HEADER.dlqReason) ?? '';
    expect(reason).toContain('hzn.evt.workitem.state_changed data invalid');
    expect(reason).toContain('workItemId');
    expect(reason).toContain('to');
  });

  it('dead-letters bytes that are not JSON at all', async () => {
    await runner('dlq-garbage', async () => undefined).start();
    await js.conn.js.publish(js.conn.naming.subject('hzn.evt.workitem.state_changed'), 'not json{', {
      msgID: 'garbage-1',
    });
    const dead = await until(async () =>
      (await dlqMessages()).find((m) => m.headers?.get('Hzn-Dlq-Original-Msg-Id') === 'garbage-1'),
    );
    expect(dead.headers?.get(HEADER.dlqReason)).toMatch(/^payload is not JSON/);
    expect(dead.string()).toBe('not json{');
  });

  it('drains in-flight work on stop before returning', async () => {
    let finished = false;
    const r = runner('drain', async () => {
      await new Promise((res) => setTimeout(res, 300));
      finished = true;
    });
    await r.start();
    await js.publisher.publish(stateChanged());
    await until(
      async () =>
        (await js.conn.jsm.consumers.info(js.conn.naming.stream('EVT'), 'drain')).num_ack_pending === 1,
    );
    await r.stop();
    expect(finished).toBe(true);
    // The ack reached the server before stop() returned (it flushes); JetStream counts it on its
    // own goroutine, so the consumer's info may show it a moment later — but it must show it.
    await until(
      async () =>
        (await js.conn.jsm.consumers.info(js.conn.naming.stream('EVT'), 'drain')).num_ack_pending === 0,
    );
  });
});
