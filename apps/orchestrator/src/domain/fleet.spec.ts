import { fleetResultsCsv, withFleetSection } from '@horizon/contracts';
import type { FleetChildState } from '@horizon/contracts';
import {
  InvalidFleetError,
  aggregateChild,
  childStateOf,
  fleetProgress,
  fleetSection,
  fleetStateAfter,
  median,
  resolveFleetRepos,
} from './fleet';
import { selectRunnable } from './run-queue';

describe('resolveFleetRepos', () => {
  const known = ['acme/svc-b', 'acme/svc-a', 'acme/web', 'other/svc-c', 'acme/svc-a'];

  it('keeps a list as given, and refuses a repository listed twice', () => {
    expect(resolveFleetRepos({ repos: ['b/x', 'a/y'] }, [])).toEqual(['b/x', 'a/y']);
    expect(() => resolveFleetRepos({ repos: ['a/x', 'a/x'] }, [])).toThrow(
      new InvalidFleetError('a/x is listed twice; list each repository once'),
    );
  });

  it('matches a glob over the known repositories by owner/name, sorted, each once', () => {
    expect(resolveFleetRepos({ glob: 'acme/svc-*' }, known)).toEqual(['acme/svc-a', 'acme/svc-b']);
    expect(resolveFleetRepos({ glob: '*/svc-*' }, known)).toEqual([
      'acme/svc-a',
      'acme/svc-b',
      'other/svc-c',
    ]);
  });

  it('refuses a glob that matches nothing, naming how many it looked at', () => {
    expect(() => resolveFleetRepos({ glob: 'nobody/*' }, known)).toThrow(
      'the glob nobody/* matches none of the 4 repositories Horizon knows',
    );
  });
});

describe('childStateOf', () => {
  it.each([
    [null, null, false, 'pending'],
    [null, null, true, 'cancelled'],
    ['queued', null, false, 'queued'],
    ['blocked', null, false, 'queued'],
    ['provisioning', null, false, 'running'],
    ['verifying', null, false, 'running'],
    ['in_review', 'succeeded', false, 'in_review'],
    ['done', 'not_applicable', false, 'not_applicable'],
    ['done', 'succeeded', false, 'merged'],
    ['timed_out', 'timed_out', false, 'failed'],
    ['failed', 'failed', false, 'failed'],
    ['cancelled', 'cancelled', false, 'cancelled'],
  ] as const)(
    '%s after %s (fleet cancelled: %s) is %s',
    (itemState, lastOutcome, fleetCancelled, expected) => {
      expect(childStateOf({ itemState, lastOutcome, fleetCancelled })).toBe(expected);
    },
  );
});

describe('fleetProgress', () => {
  const child = (state: FleetChildState, durationMs: number | null = null) => ({ state, durationMs });

  it('counts by state, runs in flight, and has no ETA before a child ended', () => {
    const p = fleetProgress(
      [child('pending'), child('running'), child('running'), child('queued')],
      2,
      'running',
    );
    expect(p).toMatchObject({ total: 4, inFlight: 2, medianChildMs: null, etaSeconds: null });
    expect(p.counts).toMatchObject({ pending: 1, queued: 1, running: 2, failed: 0 });
  });

  it('estimates the rest in waves of the cap, each the median child duration', () => {
    const children = [
      child('in_review', 10_000),
      child('failed', 30_000),
      child('not_applicable', 20_000),
      ...Array.from({ length: 5 }, () => child('pending')),
    ];
    // 5 left at a cap of 2: 3 waves of the median 20 s.
    expect(fleetProgress(children, 2, 'running')).toMatchObject({ medianChildMs: 20_000, etaSeconds: 60 });
    expect(fleetProgress(children, 5, 'running').etaSeconds).toBe(20);
  });

  it('is done (ETA 0) when nothing waits; a cancelled fleet waits only for what still runs', () => {
    expect(fleetProgress([child('merged', 5), child('failed', 7)], 3, 'running').etaSeconds).toBe(0);
    const cancelled = fleetProgress(
      [child('cancelled'), child('running'), child('in_review', 4000)],
      3,
      'cancelled',
    );
    expect(cancelled.etaSeconds).toBe(4);
  });

  it('finishes the fleet when no child waits or runs, and keeps a cancelled one cancelled', () => {
    const open = fleetProgress([child('running'), child('in_review', 1)], 1, 'running');
    const over = fleetProgress([child('failed', 1), child('in_review', 1)], 1, 'running');
    expect(fleetStateAfter('running', open)).toBe('running');
    expect(fleetStateAfter('running', over)).toBe('finished');
    expect(fleetStateAfter('finished', open)).toBe('running');
    expect(fleetStateAfter('cancelled', open)).toBe('cancelled');
  });

  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(3);
    expect(median([])).toBeNull();
  });
});

describe('the fleet cap in the scheduler', () => {
  const t0 = new Date('2026-12-05T00:00:00Z');
  const pending = (id: string, group: string | null, priority = 5, seconds = 0) => ({
    runId: id,
    workItemId: id,
    repo: `acme/${id}`,
    ownerId: null,
    priority,
    enqueuedAt: new Date(t0.getTime() + seconds * 1000),
    group: group ? { key: group, cap: 2 } : null,
  });

  it('starts at most the cap of a fleet, passing over its children to other work', () => {
    const chosen = selectRunnable(
      [
        pending('f1', 'F', 5, 0),
        pending('f2', 'F', 5, 1),
        pending('f3', 'F', 5, 2),
        pending('solo', null, 5, 3),
      ],
      [{ runId: 'r', workItemId: 'running', repo: 'acme/x', ownerId: null, group: 'F' }],
      { global: 10, perRepo: 10, perOwner: 10 },
      t0,
    );
    expect(chosen.map((c) => c.runId)).toEqual(['f1', 'solo']);
  });

  it('orders a fleet’s children by priority, then the order they were queued', () => {
    const chosen = selectRunnable(
      [pending('late', 'F', 5, 0), pending('urgent', 'F', 1, 9), pending('early', 'F', 5, -1)],
      [],
      { global: 10, perRepo: 10, perOwner: 10 },
      t0,
    );
    expect(chosen.map((c) => c.runId)).toEqual(['urgent', 'early']);
  });

  it('keeps the per-repository limit for fleet children too', () => {
    const a = { ...pending('a', 'F'), repo: 'acme/same' };
    const b = { ...pending('b', 'F'), repo: 'acme/same' };
    expect(selectRunnable([a, b], [], { global: 10, perRepo: 1, perOwner: 10 }, t0)).toHaveLength(1);
  });
});

describe('the aggregate table', () => {
  const base = {
    repo: 'acme/a',
    workItemId: '00000000-0000-4000-8000-000000000001',
    attempts: 1,
    failureReason: 'why',
    pullRequest: null,
    verification: null,
    durationMs: 1200,
    inputTokens: 10,
    outputTokens: 2,
  };

  it('gives the reason only where it explains the state, and verification in one word', () => {
    expect(aggregateChild({ ...base, state: 'in_review', verification: [{ exitCode: 0 }] })).toMatchObject({
      reason: null,
      verification: 'passed',
    });
    expect(
      aggregateChild({ ...base, state: 'failed', verification: [{ exitCode: 0 }, { exitCode: 1 }] }),
    ).toMatchObject({
      reason: 'why',
      verification: 'failed',
    });
    expect(aggregateChild({ ...base, state: 'not_applicable', verification: [] })).toMatchObject({
      reason: 'why',
      verification: 'none',
    });
  });

  it('exports as CSV, quoting what needs it', () => {
    const row = aggregateChild({
      ...base,
      state: 'failed',
      failureReason: '`npm test` failed, "exit 1"',
      pullRequest: { number: 3, url: 'http://forge/acme/a/pull/3' },
    });
    expect(fleetResultsCsv([row])).toBe(
      'repo,state,pull_request,verification,duration_ms,input_tokens,output_tokens,attempts,reason\r\n' +
        'acme/a,failed,http://forge/acme/a/pull/3,,1200,10,2,1,"`npm test` failed, ""exit 1"""\r\n',
    );
  });
});

describe('linked pull requests', () => {
  const fleet = { id: 'f-1', title: 'Bump lodash' };

  it('names the fleet and links the siblings, not itself, by repository', () => {
    const section = fleetSection(fleet, 'acme/a', [
      { repo: 'acme/c', url: 'http://f/acme/c/pull/1', number: 1 },
      { repo: 'acme/a', url: 'http://f/acme/a/pull/4', number: 4 },
      { repo: 'acme/b', url: null, number: 2 },
    ]);
    expect(section).toContain('**Fleet** “Bump lodash” (`f-1`)');
    expect(section).toContain('- acme/b: #2\n- acme/c: http://f/acme/c/pull/1');
    expect(section).not.toContain('acme/a:');
  });

  it('replaces the section in a body, keeping the rest, or appends it', () => {
    const first = withFleetSection('Summary.', fleetSection(fleet, 'acme/a', []));
    expect(first).toMatch(
      /^Summary\.\n\n<!-- horizon:fleet -->[\s\S]*No sibling pull request yet\.\n<!-- \/horizon:fleet -->\n$/,
    );
    const second = withFleetSection(
      `${first}Footer.`,
      fleetSection(fleet, 'acme/a', [{ repo: 'acme/b', url: 'u', number: 1 }]),
    );
    expect(second).toContain('Summary.');
    expect(second).toContain('- acme/b: u');
    expect(second).not.toContain('No sibling');
    expect(second.endsWith('Footer.')).toBe(true);
    expect(second.match(/<!-- horizon:fleet -->/g)).toHaveLength(1);
  });
});
