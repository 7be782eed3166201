import { EventLog } from './event-log';

async function all<T>(log: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of log) out.push(item);
  return out;
}

describe('EventLog', () => {
  it('gives every reader every item, early or late, and ends when closed', async () => {
    const log = new EventLog<number>();
    log.push(1);
    const early = all(log);
    log.push(2);
    await new Promise((r) => setImmediate(r));
    log.push(3);
    log.close();
    log.push(4);
    expect(await early).toEqual([1, 2, 3]);
    expect(await all(log)).toEqual([1, 2, 3]);
    expect(log.snapshot()).toEqual([1, 2, 3]);
  });
});
