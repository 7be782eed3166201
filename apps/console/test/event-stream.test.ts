import { randomUUID } from 'node:crypto';
import { createEnvelope, workItemStateChanged } from '@horizon/contracts';
import type { JetStreamConnection, Publisher } from '@horizon/messaging';
import { connectTestMessaging, createTestMessaging, until, type TestMessaging } from '@horizon/testing';
import { EventStream } from '../src/messaging/event-stream';
import type { LiveEvent } from '../src/shared/console-api';

/**
 * The fan-out behind every browser's live stream, over a real JetStream: one consumer for all,
 * the recent events replayed from memory, and a browser resuming from further back than that
 * catching up from the stream — each event once, in order, on every path.
 */
describe('EventStream', () => {
  let messaging: TestMessaging;
  let conn: JetStreamConnection;
  let publisher: Publisher;
  const streams: EventStream[] = [];

  beforeAll(async () => {
    messaging = await createTestMessaging();
    ({ conn, publisher } = await connectTestMessaging(messaging, 'event-stream-test'));
  });

  afterAll(async () => {
    await Promise.all(streams.map((s) => s.onModuleDestroy()));
    await conn.close();
    await messaging.cleanup();
  });

  /** `n` events published at once; their stream sequences in order. */
  async function publish(n: number): Promise<number[]> {
    const acks = await Promise.all(
      Array.from({ length: n }, () =>
        publisher.publish(
          createEnvelope({
            type: workItemStateChanged.type,
            version: workItemStateChanged.version,
            subject: workItemStateChanged.subject,
            source: 'test',
            data: {
              workItemId: randomUUID(),
              from: 'queued',
              to: 'running',
              cause: 'test',
              runId: null,
              sourceRefs: {},
            },
          }),
        ),
      ),
    );
    return acks.map((a) => a.seq).sort((x, y) => x - y);
  }

  async function started(keep?: number): Promise<EventStream> {
    const stream = new EventStream(conn, keep);
    await stream.onModuleInit();
    streams.push(stream);
    return stream;
  }

  function collect(stream: EventStream, after: number) {
    const seen: LiveEvent[] = [];
    return stream.follow(after, (e) => seen.push(e)).then((f) => ({ seen, ...f }));
  }

  it('gives every browser each new event once, from one consumer, and replays what it keeps', async () => {
    const stream = await started();
    const from = await stream.position();
    const a = await collect(stream, 0);
    const b = await collect(stream, from);
    const sent = await publish(5);
    await until(() => a.seen.length === 5 && b.seen.length === 5, 'both browsers');
    expect(a.seen.map((e) => e.seq)).toEqual(sent);
    expect(b.seen.map((e) => e.seq)).toEqual(sent);
    expect(a.seen[0]).toMatchObject({ subject: 'hzn.evt.workitem.state_changed', data: { to: 'running' } });

    // A page that read the stream after the second event resumes from memory after it.
    const c = await collect(stream, sent[1]!);
    expect(c.seen.map((e) => e.seq)).toEqual(sent.slice(2));
    await Promise.all([a.stop(), b.stop(), c.stop()]);
  });

  it('catches a browser up from the stream when it resumes from before what this replica keeps', async () => {
    const before = await publish(4);
    const stream = await started(3);
    // Kept from now on: a few more than it holds, so the floor moves past the first of them.
    const later = await publish(6);
    await until(async () => stream['recent'].last === later.at(-1), 'the replica reading them');
    const resumed = await collect(stream, before[0]!);
    await until(() => resumed.seen.length === 9, 'the catch-up and the kept events');
    const more = await publish(2);
    await until(() => resumed.seen.length === 11, 'new events after catching up');
    expect(resumed.seen.map((e) => e.seq)).toEqual([...before.slice(1), ...later, ...more]);
    await resumed.stop();
  });

  it('does not repeat events a page already has when it read a position this replica had not reached', async () => {
    const stream = await started();
    // A burst, and a page that read the stream's position after it while this replica is still
    // reading it: the replica's late deliveries of the burst are not the page's to see again.
    const sent = await publish(200);
    const page = await collect(stream, sent.at(-1)!);
    const next = await publish(1);
    await until(() => page.seen.length === 1, 'the next event');
    expect(page.seen.map((e) => e.seq)).toEqual(next);
    await page.stop();
  });
});
