import {
  ActiveRun,
  ConcurrencyLimits,
  nextNotBefore,
  PendingRun,
  RunQueue,
  selectRunnable,
} from './run-queue';

const t0 = new Date('2026-11-24T10:00:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const roomy: ConcurrencyLimits = { global: 10, perRepo: 10, perOwner: 10 };

function run(id: string, fields: Partial<PendingRun> = {}): PendingRun {
  return {
    runId: id,
    workItemId: `item-${id}`,
    repo: 'acme/api',
    ownerId: null,
    priority: 5,
    enqueuedAt: t0,
    ...fields,
  };
}

function active(id: string, fields: Partial<ActiveRun> = {}): ActiveRun {
  return { runId: id, workItemId: `item-${id}`, repo: 'acme/api', ownerId: null, ...fields };
}

const ids = (runs: PendingRun[]) => runs.map((r) => r.runId);

describe('selectRunnable', () => {
  it('orders by priority, 0 first, then first come first served', () => {
    const pending = [
      run('late-urgent', { priority: 1, enqueuedAt: at(30) }),
      run('early-normal', { priority: 5, enqueuedAt: at(0) }),
      run('early-urgent', { priority: 1, enqueuedAt: at(10) }),
      run('top', { priority: 0, enqueuedAt: at(60) }),
      run('tie-second', { priority: 5, enqueuedAt: at(0) }),
    ];
    expect(ids(selectRunnable(pending, [], roomy, t0))).toEqual([
      'top',
      'early-urgent',
      'late-urgent',
      'early-normal',
      'tie-second',
    ]);
  });

  it('stops at the global limit, counting what already runs', () => {
    const pending = [run('a'), run('b', { repo: 'acme/web' }), run('c', { repo: 'acme/cli' })];
    expect(
      ids(selectRunnable(pending, [active('x', { repo: 'acme/etl' })], { ...roomy, global: 3 }, t0)),
    ).toEqual(['a', 'b']);
    expect(
      selectRunnable(pending, [active('x'), active('y'), active('z')], { ...roomy, global: 3 }, t0),
    ).toEqual([]);
  });

  it('holds a repo at its limit without holding back other repos behind it', () => {
    const pending = [
      run('api-1', { priority: 0 }),
      run('api-2', { priority: 0 }),
      run('web-1', { repo: 'acme/web', priority: 9 }),
    ];
    expect(ids(selectRunnable(pending, [], { ...roomy, perRepo: 1 }, t0))).toEqual(['api-1', 'web-1']);
    expect(ids(selectRunnable(pending, [active('x')], { ...roomy, perRepo: 1 }, t0))).toEqual(['web-1']);
  });

  it('applies per-repo and per-owner exceptions', () => {
    const pending = [run('a'), run('b'), run('c')];
    const limits = { ...roomy, perRepo: 1, repos: { 'acme/api': 2 } };
    expect(ids(selectRunnable(pending, [], limits, t0))).toEqual(['a', 'b']);
    const owned = [run('a', { ownerId: 'ada' }), run('b', { ownerId: 'ada' }), run('c', { ownerId: 'bob' })];
    expect(ids(selectRunnable(owned, [], { ...roomy, perOwner: 1, owners: { bob: 0 } }, t0))).toEqual(['a']);
  });

  it('limits each owner, and leaves runs without an owner to the other limits', () => {
    const pending = [
      run('ada-1', { ownerId: 'ada', repo: 'acme/a' }),
      run('ada-2', { ownerId: 'ada', repo: 'acme/b' }),
      run('bob-1', { ownerId: 'bob', repo: 'acme/c' }),
      run('nobody-1', { repo: 'acme/d' }),
      run('nobody-2', { repo: 'acme/e' }),
    ];
    const running = [active('ada-0', { ownerId: 'ada', repo: 'acme/z' })];
    expect(ids(selectRunnable(pending, running, { ...roomy, perOwner: 1 }, t0))).toEqual([
      'bob-1',
      'nobody-1',
      'nobody-2',
    ]);
  });

  it('waits out a back-off', () => {
    const pending = [run('retry', { priority: 0, notBefore: at(60) }), run('fresh')];
    expect(ids(selectRunnable(pending, [], roomy, at(59)))).toEqual(['fresh']);
    expect(ids(selectRunnable(pending, [], roomy, at(60)))).toEqual(['retry', 'fresh']);
    expect(nextNotBefore(pending, at(10))).toEqual(at(60));
    expect(nextNotBefore(pending, at(60))).toBeNull();
  });

  it('never starts a second run for a work item', () => {
    const pending = [run('a2', { workItemId: 'item-a' }), run('a3', { workItemId: 'item-a' }), run('b')];
    expect(ids(selectRunnable(pending, [], roomy, t0))).toEqual(['a2', 'b']);
    expect(ids(selectRunnable(pending, [active('a1', { workItemId: 'item-a' })], roomy, t0))).toEqual(['b']);
  });
});

describe('RunQueue', () => {
  it('keeps pending runs in order and leaves them queued until removed', () => {
    const queue = new RunQueue({ ...roomy, global: 1 }, [run('b', { priority: 4 })]);
    queue.enqueue(run('a', { priority: 2 }));
    expect(ids(queue.pending())).toEqual(['a', 'b']);
    expect(ids(queue.next([], t0))).toEqual(['a']);
    expect(queue.size).toBe(2);
    expect(queue.remove('a')).toBe(true);
    expect(queue.remove('a')).toBe(false);
    expect(ids(queue.next([], t0))).toEqual(['b']);
    expect(queue.next([active('a')], t0)).toEqual([]);
  });

  it('refuses priorities outside 0…9 and duplicate run ids', () => {
    const queue = new RunQueue(roomy);
    expect(() => queue.enqueue(run('x', { priority: 10 }))).toThrow('priority 10 is not 0…9');
    expect(() => queue.enqueue(run('x', { priority: 1.5 }))).toThrow(RangeError);
    queue.enqueue(run('x'));
    expect(() => queue.enqueue(run('x'))).toThrow('already queued');
  });

  it('tells when a backed-off run becomes eligible', () => {
    const queue = new RunQueue(roomy, [run('x', { notBefore: at(30) })]);
    expect(queue.next([], t0)).toEqual([]);
    expect(queue.nextNotBefore(t0)).toEqual(at(30));
  });
});
