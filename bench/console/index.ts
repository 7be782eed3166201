// Console benchmark (`npm run bench -- console [clients] [events] [items]`), over real Postgres
// and JetStream, with the console in-process and the real orchestrator answering its RPCs:
//  1. an event on HZN_EVT → every one of N signed-in browsers' Server-Sent Event streams, p50/p99;
//     baseline: the same events read by a bare JetStream ordered consumer in the same run;
//  2. the board of M work items through `GET /api/work-items`; baseline: the orchestrator's
//     list RPC paged by hand, the floor the console adds its checks and JSON to;
//  3. that board in Chromium (the built app): until every card shows, and a filter's redraw;
//     baseline: the same page with a board of 10 items.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DeliverPolicy } from '@nats-io/jetstream';
import { apiWorkItemCreate, createEnvelope, orchestratorListWorkItems } from '@horizon/contracts';
import { createRequest, until } from '@horizon/testing';
import { ConsoleUnderTest } from '../../apps/console/test/support/console-under-test';
import { SseReader } from '../../apps/console/test/support/sse';
import { boardInBrowser, WEB_DIR } from './board-in-browser';

const clients = Number(process.argv[2] ?? 20);
const events = Number(process.argv[3] ?? 200);
const items = Number(process.argv[4] ?? 1000);
/** The browser's baseline: a board as small as a new installation's. */
const SMALL_BOARD = 10;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (n: number, digits = 1) => Number(n.toFixed(digits));

async function main(): Promise<void> {
  const hzn = await ConsoleUnderTest.start({ CONSOLE_WEB_DIR: WEB_DIR });
  try {
    const browser = await hzn.signIn('bench');
    const { naming, js } = hzn.conn;
    const readers = await Promise.all(
      Array.from({ length: clients }, () =>
        SseReader.open(`${hzn.url}/api/events`, { cookie: browser.cookie }),
      ),
    );
    const start = (await hzn.conn.jsm.streams.info(naming.stream('EVT'))).state.last_seq + 1;
    const bare = await js.consumers.get(naming.stream('EVT'), {
      filter_subjects: naming.subject('hzn.evt.>'),
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: start,
    });
    const bareSeen = new Map<number, number>();
    const bareMessages = await bare.consume();
    void (async () => {
      for await (const m of bareMessages) bareSeen.set(m.seq, performance.now());
    })();

    // One event at a time, so each delay is the path's, not a queue's.
    const sent = new Map<number, number>();
    for (let i = 0; i < events; i++) {
      const envelope = createEnvelope({
        type: 'hzn.evt.workitem.state_changed',
        version: 1,
        subject: 'hzn.evt.workitem.state_changed',
        source: 'bench',
        data: {
          workItemId: randomUUID(),
          from: 'queued',
          to: 'provisioning',
          cause: 'bench',
          runId: null,
          sourceRefs: {},
        },
      });
      const at = performance.now();
      const ack = await js.publish(naming.subject(envelope.subject), JSON.stringify(envelope), {
        msgID: envelope.id,
      });
      sent.set(ack.seq, at);
      await until(
        () => readers.every((r) => r.events.some((e) => e.seq === ack.seq)) && bareSeen.has(ack.seq),
        'delivery',
        10_000,
        1,
      );
    }
    await Promise.all(readers.map((r) => r.close()));
    await bareMessages.close();
    const bareDelays = [...sent].map(([seq, at]) => bareSeen.get(seq)! - at).sort((a, b) => a - b);
    const sseDelays = readers
      .flatMap((r) => r.events.filter((e) => sent.has(e.seq)).map((e) => e.receivedAt - sent.get(e.seq)!))
      .sort((a, b) => a - b);
    const lost = sent.size * clients - sseDelays.length;

    // The board of M items, and a small one as the browser's baseline.
    const repo = `bench/b${randomUUID().slice(0, 6)}`;
    const small = `bench/s${randomUUID().slice(0, 6)}`;
    const rpc = hzn.rpc();
    for (const [name, count] of [
      [repo, items],
      [small, SMALL_BOARD],
    ] as const) {
      for (let i = 0; i < count; i++)
        await hzn.publish(
          apiWorkItemCreate,
          createRequest({ title: `Item ${i}`, repo: name, autoStart: false }),
        );
      await until(
        async () => (await countAll(rpc, name)) === count,
        'the orchestrator to record every item',
        300_000,
        500,
      );
    }
    const boardMs: number[] = [];
    const rpcMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      let t = performance.now();
      await countAll(rpc, repo);
      rpcMs.push(performance.now() - t);
      t = performance.now();
      const res = await hzn.request(`/api/work-items?repo=${repo}`, { browser });
      const body = (await res.json()) as { items: unknown[] };
      boardMs.push(performance.now() - t);
      if (body.items.length !== items)
        throw new Error(`board answered ${body.items.length} of ${items} items`);
    }
    boardMs.sort((a, b) => a - b);
    rpcMs.sort((a, b) => a - b);
    const inBrowser = await boardInBrowser(hzn.url, browser.cookie, repo, items);
    const smallInBrowser = await boardInBrowser(hzn.url, browser.cookie, small, SMALL_BOARD);

    const line = [
      `BENCH console clients=${clients} events=${events} lost=${lost}`,
      `sse_p50_ms=${round(percentile(sseDelays, 50))} sse_p99_ms=${round(percentile(sseDelays, 99))}`,
      `jetstream_p50_ms=${round(percentile(bareDelays, 50))} jetstream_p99_ms=${round(percentile(bareDelays, 99))}`,
      `sse_vs_jetstream_p50=${round(percentile(sseDelays, 50) / percentile(bareDelays, 50), 2)}`,
      `items=${items} board_ms=${round(percentile(boardMs, 50))} rpc_pages_ms=${round(percentile(rpcMs, 50))}`,
      `board_vs_rpc=${round(percentile(boardMs, 50) / percentile(rpcMs, 50), 2)}`,
      `browser_board_ms=${round(inBrowser.loadMs)} browser_small_board_ms=${round(smallInBrowser.loadMs)}`,
      `browser_board_vs_small=${round(inBrowser.loadMs / smallInBrowser.loadMs, 2)}`,
      `filter_ms=${round(inBrowser.filterMs)} filter_small_ms=${round(smallInBrowser.filterMs)}`,
      `show_all_ms=${round(inBrowser.showAllMs)} show_all_small_ms=${round(smallInBrowser.showAllMs)}`,
    ].join(' ');
    process.stdout.write(`${line}\n`);
  } finally {
    await hzn.stop();
  }
}

async function countAll(rpc: ReturnType<ConsoleUnderTest['rpc']>, repo: string): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await rpc.call(orchestratorListWorkItems, {
      repo,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    count += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return count;
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  },
);
