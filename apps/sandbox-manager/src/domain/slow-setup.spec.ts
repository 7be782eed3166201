import { frictionEventSchema } from '@horizon/contracts';
import { slowSetupFriction } from './slow-setup';

const thresholds = { snapshotMs: 120_000, bootMs: 15_000 };

describe('slowSetupFriction: a slow sandbox setup is a papercut of the run', () => {
  it('says nothing of a setup within both thresholds, even right at them', () => {
    expect(slowSetupFriction({ snapshotMs: 3, bootMs: 900 }, thresholds)).toEqual([]);
    expect(slowSetupFriction({ snapshotMs: 120_000, bootMs: 15_000 }, thresholds)).toEqual([]);
  });

  it('names a snapshot build the run waited for, with the seconds measured and the threshold', () => {
    expect(slowSetupFriction({ snapshotMs: 154_321, bootMs: 2_000 }, thresholds)).toEqual([
      {
        kind: 'slow_setup',
        signature: 'slow_setup:snapshot build',
        summary:
          'waited 154.3 s for the snapshot build (clone and .horizon/config.yaml setup), over the 120 s threshold',
        count: 1,
        evidence: [],
      },
    ]);
  });

  it('names a slow boot and checkout apart, so each is one papercut across runs', () => {
    const events = slowSetupFriction({ snapshotMs: 200_000, bootMs: 21_050 }, thresholds);
    expect(events.map((e) => e.signature)).toEqual(['slow_setup:snapshot build', 'slow_setup:sandbox boot']);
    expect(events[1]!.summary).toBe(
      'the sandbox boot and workspace checkout took 21.1 s, over the 15 s threshold',
    );
    for (const event of events) expect(frictionEventSchema.parse(event)).toEqual(event);
  });

  it('with a threshold of 0, counts any time at all', () => {
    expect(slowSetupFriction({ snapshotMs: 1, bootMs: 0 }, { snapshotMs: 0, bootMs: 0 })).toEqual([
      expect.objectContaining({
        signature: 'slow_setup:snapshot build',
        summary: expect.stringContaining('0 s threshold'),
      }),
    ]);
  });
});
