import { RunClock } from './run-clock';

describe('RunClock', () => {
  it('counts working time without the holds, and moves the deadline later by them', () => {
    let now = 1_000;
    const clock = new RunClock(61_000, () => now);
    const changes: (number | null)[] = [];
    clock.onChange(() => changes.push(clock.deadlineAt));
    now += 10_000;
    clock.hold();
    now += 120_000;
    // Held past the deadline: it stands still, and no time is worked.
    expect(clock.deadlineAt).toBeNull();
    expect(clock.activeMs).toBe(10_000);
    clock.resume();
    now += 5_000;
    expect(clock.activeMs).toBe(15_000);
    expect(clock.deadlineAt).toBe(181_000);
    clock.hold();
    now += 1_000;
    clock.resume();
    clock.resume();
    expect(clock.heldMs).toBe(121_000);
    expect(changes).toEqual([null, 181_000, null, 182_000]);
  });
});
