import type { FleetView } from '@horizon/contracts';
import { progressBar } from '../output';
import { progressLine } from './fleet';

const fleet = (counts: Partial<FleetView['progress']['counts']>, etaSeconds: number | null): FleetView => {
  const all = {
    pending: 0,
    queued: 0,
    running: 0,
    in_review: 0,
    merged: 0,
    not_applicable: 0,
    failed: 0,
    cancelled: 0,
    ...counts,
  };
  return {
    id: '00000000-0000-4000-8000-000000000001',
    title: 't',
    prompt: 'p',
    verify: null,
    selector: { repos: [] },
    cap: 2,
    priority: 5,
    state: 'running',
    ownerId: null,
    createdBy: 'x',
    createdAt: new Date(0).toISOString(),
    progress: {
      total: Object.values(all).reduce((a, b) => a + b, 0),
      counts: all,
      inFlight: all.running,
      medianChildMs: null,
      etaSeconds,
    },
  };
};

describe('the fleet progress line', () => {
  it('fills the bar with the ended children and names the counts, runs in flight and ETA', () => {
    expect(progressBar(3, 12, 12)).toBe('[###---------] 3/12');
    expect(progressBar(0, 0, 4)).toBe('[####] 0/0');
    expect(progressLine(fleet({ pending: 5, running: 2, in_review: 2, failed: 1 }, 90))).toBe(
      '[#########---------------------] 3/10 running: pending 5, running 2, in_review 2, failed 1; 2 in flight; ETA 90s',
    );
    expect(progressLine(fleet({ queued: 1 }, null))).toContain('ETA unknown');
    expect(progressLine(fleet({ merged: 1 }, 0))).toContain('1/1 running: merged 1; 0 in flight; done');
  });
});
