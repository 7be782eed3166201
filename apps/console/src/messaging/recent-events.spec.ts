import type { LiveEvent } from '../shared/console-api';
import { RecentEvents } from './recent-events';

const event = (seq: number): LiveEvent => ({
  seq,
  subject: 'hzn.evt.workitem.state_changed',
  occurredAt: '2026-12-04T10:00:00.000Z',
  data: {},
});

describe('RecentEvents', () => {
  it('answers the live events after a sequence, skipping what was not live', () => {
    const recent = new RecentEvents(100);
    recent.startAfter(10);
    recent.add(11, event(11));
    recent.add(12, null);
    recent.add(13, event(13));
    expect(recent.after(10).map((e) => e.seq)).toEqual([11, 13]);
    expect(recent.after(11).map((e) => e.seq)).toEqual([13]);
    expect(recent.after(12).map((e) => e.seq)).toEqual([13]);
    expect(recent.after(13)).toEqual([]);
    expect(recent.last).toBe(13);
    expect(recent.floor).toBe(10);
  });

  it('ignores a sequence it already read (an ordered consumer re-delivering after a gap)', () => {
    const recent = new RecentEvents(100);
    recent.startAfter(0);
    recent.add(1, event(1));
    recent.add(1, event(1));
    expect(recent.after(0)).toHaveLength(1);
  });

  it('keeps at most about `keep`, moving the floor past what it dropped', () => {
    const recent = new RecentEvents(10);
    recent.startAfter(0);
    for (let seq = 1; seq <= 12; seq++) recent.add(seq, event(seq));
    // Dropped in batches: 12 > 10 × 1.1, so the two oldest went.
    expect(recent.floor).toBe(2);
    expect(recent.after(recent.floor).map((e) => e.seq)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(recent.after(0)).toHaveLength(10);
  });
});
